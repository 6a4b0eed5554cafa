// What every Lambda function of the stacks shares: the runtime, and where
// `npm run build` leaves each handler's bundle (scripts/bundle-lambdas.js builds
// src/lambdas/<name>/ for this runtime into dist/lambdas/<name>.zip).
import type { Template } from '../../cfn/template';

/** The runtime of every function; the bundles target the same Node.js version. */
export const LAMBDA_RUNTIME = 'nodejs22.x';

/** The folder `npm run build` writes the bundles to (OUT_DIR of scripts/bundle-lambdas.js, which a test keeps equal). */
export const LAMBDA_BUNDLE_DIR = 'dist/lambdas';

/** Declares the bundle of src/lambdas/<name> as an asset of `t`; its path relative to `t`, for CodeUri. */
export function lambdaBundle(t: Template, name: string): string {
  return t.assets.file(`${LAMBDA_BUNDLE_DIR}/${name}.zip`);
}
