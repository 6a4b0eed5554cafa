import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, relative, sep } from 'node:path';
import { ValidationError } from '../errors';

/** One cfn-lint finding. */
export interface LintFinding {
  /** Repository-relative path of the template. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** The rule id, e.g. `E3002` or `W1001`. */
  readonly rule: string;
  readonly level: 'Error' | 'Warning' | 'Informational';
  readonly message: string;
}

/** Options of one cfn-lint run. */
export interface LintOptions {
  /** The repository root: templates are given and reported relative to it. */
  readonly root: string;
  /** Repository-relative paths of the templates to lint. */
  readonly templates: readonly string[];
  /** The environment, for PATH. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

const SETUP_HINT = 'run `bash scripts/setup-python.sh` (or `npm test`, which runs it) to install it into .venv';

/** The cfn-lint executable: the project's virtual environment first, then the PATH. */
function findCfnLint(root: string, env: NodeJS.ProcessEnv = process.env): string {
  const local = join(root, '.venv', 'bin', 'cfn-lint');
  if (existsSync(local)) return local;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, 'cfn-lint'))) return join(dir, 'cfn-lint');
  }
  throw new ValidationError(`cfn-lint is not installed: ${SETUP_HINT}`, 'CFN_LINT_MISSING');
}

/** One finding as cfn-lint's JSON output writes it (only the fields read here). */
interface CfnLintRecord {
  readonly Filename?: string;
  readonly Location?: { readonly Start?: { readonly LineNumber?: number; readonly ColumnNumber?: number } };
  readonly Rule?: { readonly Id?: string };
  readonly Level?: string;
  readonly Message?: string;
}

/** Runs cfn-lint once over all the templates and returns its findings (informational ones included). */
export async function lintTemplates(options: LintOptions): Promise<LintFinding[]> {
  const exe = findCfnLint(options.root, options.env);
  const files = options.templates.map((t) => join(options.root, ...t.split('/')));
  for (const f of files) {
    if (!existsSync(f)) throw new ValidationError(`${relative(options.root, f)} does not exist: run \`npx dataless synth\` first`, 'TEMPLATE_MISSING');
  }
  const { code, stdout, stderr } = await run(exe, ['--format', 'json', '--', ...files], options.root);
  // cfn-lint exits with a bit mask of the levels it found (2 error, 4 warning, 8 info); 1 is its own failure.
  if (code === 1 || code === null || (code & ~0b1110) !== 0) {
    throw new ValidationError(`cfn-lint failed (exit ${code}): ${stderr.trim() || stdout.trim()}`, 'CFN_LINT_FAILED');
  }
  let raw: CfnLintRecord[];
  try {
    raw = stdout.trim() ? (JSON.parse(stdout) as CfnLintRecord[]) : [];
  } catch {
    throw new ValidationError(`cfn-lint printed something that is not JSON: ${stdout.slice(0, 200)}`, 'CFN_LINT_FAILED');
  }
  return raw
    .map((f) => ({
      file: relative(options.root, String(f.Filename)).split(sep).join('/'),
      line: Number(f.Location?.Start?.LineNumber ?? 0),
      column: Number(f.Location?.Start?.ColumnNumber ?? 0),
      rule: String(f.Rule?.Id ?? '?'),
      level: f.Level as LintFinding['level'],
      message: String(f.Message ?? ''),
    }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

/** `file:line:col rule message`, the form editors and CI logs link. */
export function formatFinding(f: LintFinding): string {
  return `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`;
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (error) => reject(new ValidationError(`cannot run cfn-lint (${command}): ${error.message}; ${SETUP_HINT}`, 'CFN_LINT_FAILED')));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
