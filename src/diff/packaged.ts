// A deployed template is the packaged one: its nested-template locations and
// artifact properties are S3 addresses where the working tree has local
// paths. Before comparing, those are aligned: a nested location always (the
// nested template itself is compared on its own), an artifact when the
// deployed object's content hash is the local file's.
import { ARTIFACT_PROPERTY, NESTED_TEMPLATE_PROPERTY, localPath } from '../cfn/locations';
import type { StackTemplate, Template, TemplateResource } from './model';

/** True when the deployed address names an object with the same content as the local file. */
export type SameArtifact = (localFile: string, deployedAddress: string) => boolean;

/** The deployed trees with packaged addresses replaced by the local values they were packaged from. */
export function alignPackaged(
  deployed: readonly StackTemplate[],
  local: readonly StackTemplate[],
  sameArtifact: SameArtifact,
): StackTemplate[] {
  return deployed.map((stack) => {
    const counterpart = local.find((s) => s.path === stack.path);
    if (!counterpart) return stack;
    const resources: Record<string, TemplateResource> = {};
    for (const [id, resource] of Object.entries(stack.body.Resources ?? {})) {
      resources[id] = align(resource, counterpart.body.Resources?.[id], counterpart.template, sameArtifact);
    }
    return { ...stack, body: { ...stack.body, Resources: resources } as Template };
  });
}

function align(
  resource: TemplateResource,
  local: TemplateResource | undefined,
  localTemplate: string,
  sameArtifact: SameArtifact,
): TemplateResource {
  if (!local || local.Type !== resource.Type || !resource.Properties) return resource;
  const nested = NESTED_TEMPLATE_PROPERTY.get(resource.Type);
  const artifact = ARTIFACT_PROPERTY.get(resource.Type);
  const property = nested ?? artifact;
  if (!property) return resource;
  const deployedValue = resource.Properties[property];
  const localValue = local.Properties?.[property];
  const file = localPath(localTemplate, localValue);
  if (typeof deployedValue !== 'string' || !file) return resource;
  if (artifact && !sameArtifact(file, deployedValue)) return resource;
  return { ...resource, Properties: { ...resource.Properties, [property]: localValue } };
}
