// A deployed template is the packaged one: its nested-template locations and
// the values that point at its file assets are S3 addresses where the working
// tree has local paths. Before comparing, those are aligned: a nested location
// always (the nested template itself is compared on its own), a value pointing
// at a file the local template lists among its assets (`assetsOf`, the list
// packaging uploads) when the deployed object's content hash is the local file's.
import { assetsOf } from '../cfn/assets';
import { NESTED_TEMPLATE_PROPERTY, localPath } from '../cfn/locations';
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
    const files = new Set(assetsOf(counterpart.body).Files);
    const resources: Record<string, TemplateResource> = {};
    for (const [id, resource] of Object.entries(stack.body.Resources ?? {})) {
      const localResource = counterpart.body.Resources?.[id];
      resources[id] = align(resource, localResource, counterpart.template, (deployedValue, localValue) => {
        const file = localPath(counterpart.template, localValue);
        return file !== undefined && files.has(file) && sameArtifact(file, deployedValue);
      });
    }
    return { ...stack, body: { ...stack.body, Resources: resources } as Template };
  });
}

/** True when a deployed text value is the packaged form of the local value at the same place. */
type PackagedFrom = (deployedValue: string, localValue: string) => boolean;

function align(
  resource: TemplateResource,
  local: TemplateResource | undefined,
  localTemplate: string,
  packagedFrom: PackagedFrom,
): TemplateResource {
  if (!local?.Properties || local.Type !== resource.Type || !resource.Properties) return resource;
  const nested = NESTED_TEMPLATE_PROPERTY.get(resource.Type);
  if (nested) {
    const localValue = local.Properties[nested];
    if (typeof resource.Properties[nested] !== 'string' || !localPath(localTemplate, localValue)) return resource;
    return { ...resource, Properties: { ...resource.Properties, [nested]: localValue } };
  }
  return {
    ...resource,
    Properties: toLocal(resource.Properties, local.Properties, packagedFrom) as typeof resource.Properties,
  };
}

/** The deployed value with each packaged address that stands where the local value points at an asset put back. */
function toLocal(deployed: unknown, local: unknown, packagedFrom: PackagedFrom): unknown {
  if (typeof deployed === 'string')
    return typeof local === 'string' && packagedFrom(deployed, local) ? local : deployed;
  if (Array.isArray(deployed))
    return Array.isArray(local) ? deployed.map((value, i) => toLocal(value, local[i], packagedFrom)) : deployed;
  if (isRecord(deployed) && isRecord(local))
    return Object.fromEntries(Object.entries(deployed).map(([k, v]) => [k, toLocal(v, local[k], packagedFrom)]));
  return deployed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
