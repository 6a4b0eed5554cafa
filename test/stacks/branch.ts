import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths';

/** The parameters the build fills in (setBy: 'build'); any value of the right shape does. */
const BUILD_VALUES = {
  CodePipeline: 'dataless-master',
  BuildRegion: 'us-east-1',
  SourceVersion: '0123456789abcdef0123456789abcdef01234567',
  Build: 'dataless-master:00000000-0000-0000-0000-000000000000',
  CodeBucket: 'dataless-artifacts',
  CodePrefix: 'master/0123456789abcdef',
};

/** The root parameter values a branch deploys with: its config/<branch>.json over the build's values. */
export function branchValues(branch: string): Record<string, string> {
  const config = JSON.parse(readFileSync(join(projectRoot(), 'config', `${branch}.json`), 'utf8')) as {
    Parameters?: Record<string, unknown>;
  };
  return {
    ...BUILD_VALUES,
    ...Object.fromEntries(Object.entries(config.Parameters ?? {}).map(([k, v]) => [k, String(v)])),
  };
}
