import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ValidationError } from '../errors';
import { findTool, runTool, type Tool } from './tool';

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

const CFN_LINT: Tool = {
  name: 'cfn-lint',
  local: '.venv/bin/cfn-lint',
  missing: 'CFN_LINT_MISSING',
  failed: 'CFN_LINT_FAILED',
};

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
  const exe = findTool(CFN_LINT, options.root, options.env);
  const files = options.templates.map((t) => join(options.root, ...t.split('/')));
  for (const f of files) {
    if (!existsSync(f))
      throw new ValidationError(
        `${relative(options.root, f)} does not exist: run \`npx dataless synth\` first`,
        'TEMPLATE_MISSING',
      );
  }
  const { code, stdout, stderr } = await runTool(CFN_LINT, exe, ['--format', 'json', '--', ...files], options.root);
  // cfn-lint exits with a bit mask of the levels it found (2 error, 4 warning, 8 info); 1 is its own failure.
  if (code === 1 || code === null || (code & ~0b1110) !== 0) {
    throw new ValidationError(`cfn-lint failed (exit ${code}): ${stderr.trim() || stdout.trim()}`, 'CFN_LINT_FAILED');
  }
  let raw: CfnLintRecord[];
  try {
    raw = stdout.trim() ? (JSON.parse(stdout) as CfnLintRecord[]) : [];
  } catch {
    throw new ValidationError(
      `cfn-lint printed something that is not JSON: ${stdout.slice(0, 200)}`,
      'CFN_LINT_FAILED',
    );
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
    .sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule),
    );
}

/** `file:line:col rule message`, the form editors and CI logs link. */
export function formatFinding(f: LintFinding): string {
  return `${f.file}:${f.line}:${f.column} ${f.rule} ${f.message}`;
}
