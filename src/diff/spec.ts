// The facts of the AWS service specification (@aws-cdk/aws-service-spec)
// that the diff reads: per resource type, whether it holds data, how it is
// scrutinized for IAM and network changes, and which property changes replace
// it. The specification loads in about 0.4 s on an idle machine (a 15 MB JSON
// database with every type's documentation); these facts are 0.4 MB and load
// in a few milliseconds. They are drawn from the specification the first time
// and cached under the project's .dataless/cache/, keyed by its version, and
// the diff library reads them in place of its database.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../cfn/write';

/** What the diff library and the data-loss check read of one resource type. */
export interface ResourceFacts {
  readonly isStateful?: boolean;
  readonly scrutinizable?: string;
  readonly properties: Readonly<
    Record<string, { readonly causesReplacement?: string; readonly scrutinizable?: string }>
  >;
}

type Facts = Readonly<Record<string, ResourceFacts>>;

let facts: Facts | undefined;
/** Cache folders known to hold the facts of this version. */
const cached = new Set<string>();

/** The facts of a resource type; undefined for a type the specification does not know. */
export function resourceFacts(type: string, cacheDir?: string): ResourceFacts | undefined {
  if (!facts) facts = load(cacheDir);
  else if (cacheDir && !cached.has(cacheDir)) save(cacheDir, facts);
  return facts[type];
}

/**
 * Makes the diff library read resource types from the cached facts. Its
 * modules call `util.loadResourceModel` through the module's exports at each
 * call, so replacing that export is enough; nothing else of its database is read.
 */
export function useCachedFacts(cacheDir?: string): void {
  const util = require('@aws-cdk/cloudformation-diff/lib/diff/util') as {
    loadResourceModel: (type: string) => unknown;
  };
  util.loadResourceModel = (type: string) => resourceFacts(type, cacheDir);
}

function cacheFile(cacheDir: string): string {
  const version = (require('@aws-cdk/aws-service-spec/package.json') as { version: string }).version;
  return join(cacheDir, `aws-service-spec-${version}.json`);
}

function load(cacheDir: string | undefined): Facts {
  if (cacheDir && existsSync(cacheFile(cacheDir))) {
    cached.add(cacheDir);
    return JSON.parse(readFileSync(cacheFile(cacheDir), 'utf8')) as Facts;
  }
  const drawn = fromSpecification();
  if (cacheDir) save(cacheDir, drawn);
  return drawn;
}

function save(cacheDir: string, drawn: Facts): void {
  cached.add(cacheDir);
  if (existsSync(cacheFile(cacheDir))) return;
  try {
    writeFileAtomic(cacheFile(cacheDir), JSON.stringify(drawn));
  } catch {
    // A cache that cannot be written costs time on the next run, nothing else.
  }
}

/** Draws the facts from the full specification. */
export function fromSpecification(): Facts {
  const { loadAwsServiceSpecSync } = require('@aws-cdk/aws-service-spec') as typeof import('@aws-cdk/aws-service-spec');
  const out: Record<string, ResourceFacts> = {};
  for (const resource of loadAwsServiceSpecSync().all('resource')) {
    const properties: Record<string, { causesReplacement?: string; scrutinizable?: string }> = {};
    for (const [name, p] of Object.entries(resource.properties)) {
      properties[name] = {
        ...(p.causesReplacement && p.causesReplacement !== 'no' ? { causesReplacement: p.causesReplacement } : {}),
        ...(p.scrutinizable && String(p.scrutinizable) !== 'None' ? { scrutinizable: String(p.scrutinizable) } : {}),
      };
    }
    out[resource.cloudFormationType] = {
      ...(resource.isStateful ? { isStateful: true } : {}),
      ...(resource.scrutinizable && String(resource.scrutinizable) !== 'None'
        ? { scrutinizable: String(resource.scrutinizable) }
        : {}),
      properties,
    };
  }
  return out;
}
