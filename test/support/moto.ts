// A local moto server for tests that talk to AWS APIs over HTTP. Each call to
// startMoto() runs its own `.venv/bin/moto_server` on a free 127.0.0.1 port
// (src/local/moto.ts, which `dataless local up` runs too); nothing global
// changes unless a test asks for it (useMoto's `env`).
import { motoEnvironment, startMoto, type MotoServer, type StartMotoOptions } from '../../src/local/moto';

export { motoEnvironment, startMoto, type MotoServer };

/** Sets (or, for undefined, unsets) environment variables; returns a function that restores the old values. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(vars)) {
    saved[name] = process.env[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

export interface UseMotoOptions extends StartMotoOptions {
  /** Also point the AWS SDK environment at the server for the suite (restored after). @default false */
  readonly env?: boolean;
}

/**
 * Registers mocha hooks that start a moto server before the suite and stop it
 * after (failures included). Read `.server` inside hooks and tests.
 */
export function useMoto(options: UseMotoOptions = {}): { readonly server: MotoServer } {
  let server: MotoServer | undefined;
  let restoreEnv: (() => void) | undefined;
  before(async function () {
    this.timeout((options.timeoutMs ?? 30_000) + 5000);
    server = await startMoto(options);
    if (options.env) restoreEnv = setEnv(motoEnvironment(server.endpoint));
  });
  after(async function () {
    restoreEnv?.();
    restoreEnv = undefined;
    await server?.stop();
    server = undefined;
  });
  return {
    get server(): MotoServer {
      if (!server)
        throw new Error('the moto server is only available inside hooks and tests of the suite that called useMoto()');
      return server;
    },
  };
}
