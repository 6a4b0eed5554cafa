import { sdkClients, type AwsClients } from './aws/clients';

/**
 * The IO host an action runs with: where it writes (results to `out`, progress
 * and logs to `err`), what the terminal allows, and where its AWS clients come
 * from. Actions take their options and this host and return their result as
 * data; the CLI (src/cli) decides how to present it, as text or `--json`.
 */
export interface IO {
  /** Writes a result (stdout). */
  out(text: string): void;
  /** Writes progress, warnings and logs (stderr). */
  err(text: string): void;
  /** True when stderr is an interactive terminal and live progress may be drawn. */
  readonly interactive: boolean;
  /** True when colour may be used on stderr. */
  readonly color: boolean;
  /** True when colour may be used on stdout (a terminal, not CI, not --no-color or NO_COLOR). */
  readonly outColor: boolean;
  /** True when stdin is a terminal, so the user can be asked a question. */
  readonly canPrompt: boolean;
  /** The working directory commands resolve relative paths against. */
  readonly cwd: string;
  /** The environment, for settings such as CI or CODEBUILD_* variables. */
  readonly env: NodeJS.ProcessEnv;
  /** Where the action's AWS clients come from: the SDK's on the command line, a test's own in tests. */
  readonly aws: AwsClients;
}

/** Options that decide how the process IO behaves. */
export interface ProcessIOOptions {
  /** Disable colour even on a terminal. @default false */
  readonly noColor?: boolean;
}

/** The IO of this process, honouring CI, NO_COLOR and `--no-color`. */
export function processIO(options: ProcessIOOptions = {}): IO {
  const env = process.env;
  const ci = Boolean(env.CI) && env.CI !== 'false';
  const tty = Boolean(process.stderr.isTTY) && !ci;
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    interactive: tty,
    color: tty && !options.noColor && env.NO_COLOR === undefined,
    outColor: Boolean(process.stdout.isTTY) && !ci && !options.noColor && env.NO_COLOR === undefined,
    canPrompt: Boolean(process.stdin.isTTY) && !ci,
    cwd: process.cwd(),
    env,
    aws: sdkClients({ env }),
  };
}

/**
 * An IO that records what is written, for tests. A test that lets the action
 * reach AWS passes its own `aws` (clients on a local moto server, or stubbed
 * instances); without one, asking for a client fails, so a test can never fall
 * through to the real SDK configuration of the machine it runs on.
 */
export function memoryIO(overrides: Partial<Omit<IO, 'out' | 'err'>> = {}): IO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out(text: string) {
      io.stdout += text;
    },
    err(text: string) {
      io.stderr += text;
    },
    interactive: false,
    color: false,
    outColor: false,
    canPrompt: false,
    cwd: process.cwd(),
    env: {} as NodeJS.ProcessEnv,
    aws: noAwsClients,
    ...overrides,
  };
  return io;
}

/** The AWS client provider of a test that passed none: every client it is asked for is refused, naming the service. */
const noAwsClients: AwsClients = new Proxy({} as AwsClients, {
  get(_target, service) {
    return () => {
      throw new Error(
        `this IO has no AWS clients, and the action asked for ${String(service)}: pass memoryIO({ aws: ... }) a provider`,
      );
    };
  },
});
