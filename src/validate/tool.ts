// The Python tools validation runs (cfn-lint, checkov): where they are
// installed and how one run's output is collected.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ValidationError, type ErrorCodeExiting } from '../errors';

/** What to tell someone whose tool is missing. */
export const SETUP_HINT = 'run `bash scripts/setup-python.sh` (or `npm test`, which runs it) to install it into .venv';

/** A tool of the project's Python environments. */
export interface Tool {
  /** The executable's name, e.g. `cfn-lint`. */
  readonly name: string;
  /** Where scripts/setup-python.sh installs it, relative to the repository root. */
  readonly local: string;
  /** The error code when it is not installed. */
  readonly missing: ErrorCodeExiting<1>;
  /** The error code when it cannot run or its output cannot be read. */
  readonly failed: ErrorCodeExiting<1>;
}

/** The tool's executable: the project's environment first, then the PATH. */
export function findTool(tool: Tool, root: string, env: NodeJS.ProcessEnv = process.env): string {
  const local = join(root, ...tool.local.split('/'));
  if (existsSync(local)) return local;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, tool.name))) return join(dir, tool.name);
  }
  throw new ValidationError(`${tool.name} is not installed: ${SETUP_HINT}`, tool.missing);
}

/** What one run printed and how it ended. */
export interface ToolRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the tool to completion, collecting its output. */
export function runTool(
  tool: Tool,
  command: string,
  args: readonly string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (error) =>
      reject(new ValidationError(`cannot run ${tool.name} (${command}): ${error.message}; ${SETUP_HINT}`, tool.failed)),
    );
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
