// Following a template tree from its root through the resources that nest a
// stack (AWS::Serverless::Application, AWS::CloudFormation::Stack). Each
// stack is named by the logical ids on the way to it, so a nested template
// that moved to another file is still compared with its predecessor.
import { TemplateError } from '../errors';
import { NESTED_TEMPLATE_PROPERTY } from '../cfn/locations';
import type { StackTemplate, Template } from './model';

/** A template as a source hands it over. */
export interface LoadedTemplate {
  /** Where it came from: a repository path, or a stack's name or id. */
  readonly template: string;
  readonly body: Template;
}

/** Where the templates of one tree come from: files (on disk, at a git revision) or deployed stacks. */
export interface TemplateSource {
  /** The root template; undefined when there is none. */
  root(): Promise<LoadedTemplate | undefined>;
  /** The template of the stack that `logicalId` in `parent` nests, pointed at by `location`; undefined when there is none. */
  nested(parent: LoadedTemplate, logicalId: string, location: unknown): Promise<LoadedTemplate | undefined>;
}

/** Every stack of the tree, root first, each followed by its nested stacks in the order the template declares them. */
export async function walkTree(source: TemplateSource, rootName: string): Promise<StackTemplate[]> {
  const root = await source.root();
  if (!root) return [];
  const stacks: StackTemplate[] = [];
  const visit = async (loaded: LoadedTemplate, path: string, seen: readonly string[]): Promise<void> => {
    if (seen.includes(loaded.template))
      throw new TemplateError(`nested templates form a cycle: ${[...seen, loaded.template].join(' -> ')}`);
    stacks.push({ path, template: loaded.template, body: loaded.body });
    for (const [id, resource] of Object.entries(loaded.body.Resources ?? {})) {
      const property = NESTED_TEMPLATE_PROPERTY.get(resource.Type);
      if (!property) continue;
      const child = await source.nested(loaded, id, resource.Properties?.[property]);
      if (child) await visit(child, `${path}/${id}`, [...seen, loaded.template]);
    }
  };
  await visit(root, rootName, []);
  return stacks;
}
