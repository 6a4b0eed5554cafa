// What every Lambda function of the stacks shares: the runtime, and where
// `npm run build` leaves each handler's bundle (scripts/bundle-lambdas.js builds
// src/lambdas/<name>/ for this runtime into dist/lambdas/<name>.zip).
import type { Template } from '../../cfn/template';

/** The runtime of every function; the bundles target the same Node.js version. */
export const LAMBDA_RUNTIME = 'nodejs22.x';

/** Declares the bundle of src/lambdas/<name> as an asset of `t`; its path relative to `t`, for CodeUri. */
export function lambdaBundle(t: Template, name: string): string {
  return t.assets.file(`dist/lambdas/${name}.zip`);
}
