// Where a template points at other files: nested templates through their
// resources' properties, which packaging rewrites to S3 addresses and the diff
// follows. The other local files a template points at are its assets
// (assets.ts), which it lists itself.
import { posix } from 'node:path';

/** The property through which a resource of each type points at a nested template. */
export const NESTED_TEMPLATE_PROPERTY: ReadonlyMap<string, string> = new Map([
  ['AWS::Serverless::Application', 'Location'],
  ['AWS::CloudFormation::Stack', 'TemplateURL'],
]);

/** The repository path a value in the template at `templatePath` points at; undefined for an s3:// or http(s):// address, or a value that is not text. */
export function localPath(templatePath: string, value: unknown): string | undefined {
  return typeof value === 'string' && !/^(s3|https?):\/\//.test(value)
    ? posix.normalize(posix.join(posix.dirname(templatePath), value))
    : undefined;
}
