// Where a template points at other files: nested templates and the artifacts
// `dataless package` uploads. Packaging rewrites these properties to S3
// addresses; the diff follows nested templates through them.
import { posix } from 'node:path';

/** The property through which a resource of each type points at a nested template. */
export const NESTED_TEMPLATE_PROPERTY: ReadonlyMap<string, string> = new Map([
  ['AWS::Serverless::Application', 'Location'],
  ['AWS::CloudFormation::Stack', 'TemplateURL'],
]);

/** The property through which a resource of each type points at a file to upload (a Lambda bundle, an API definition). */
export const ARTIFACT_PROPERTY: ReadonlyMap<string, string> = new Map([
  ['AWS::Serverless::Function', 'CodeUri'],
  ['AWS::Serverless::Api', 'DefinitionUri'],
]);

/** The repository path a value in the template at `templatePath` points at; undefined for an s3:// or http(s):// address, or a value that is not text. */
export function localPath(templatePath: string, value: unknown): string | undefined {
  return typeof value === 'string' && !/^(s3|https?):\/\//.test(value)
    ? posix.normalize(posix.join(posix.dirname(templatePath), value))
    : undefined;
}
