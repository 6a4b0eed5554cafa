import { ValidationError } from '../errors';
import type { IO } from '../io';
import { stacks } from '../stacks';
import { formatFinding, lintTemplates, type LintFinding } from './lint';

/** Options of `dataless validate`. */
export interface ValidateOptions {
  /** The repository root. */
  readonly root: string;
  /** Print the findings as JSON on stdout instead of lines. @default false */
  readonly json?: boolean;
}

/** What `dataless validate` found. */
export interface ValidateResult {
  /** cfn-lint findings at error or warning level; informational ones are not counted. */
  readonly findings: readonly LintFinding[];
  /** The templates linted. */
  readonly templates: readonly string[];
}

/** Lints every generated template with cfn-lint, once; fails when there is any error or warning. */
export async function validate(options: ValidateOptions, io: IO): Promise<ValidateResult> {
  const templates = stacks.map((s) => s.path);
  io.err(`validate: linting ${templates.length} templates with cfn-lint\n`);
  const all = await lintTemplates({ root: options.root, templates });
  const findings = all.filter((f) => f.level !== 'Informational');
  if (options.json) {
    io.out(`${JSON.stringify({ templates, findings }, null, 2)}\n`);
  } else {
    for (const f of findings) io.out(`${formatFinding(f)}\n`);
  }
  if (findings.length > 0) {
    const files = new Set(findings.map((f) => f.file)).size;
    throw new ValidationError(`cfn-lint reported ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} template${files === 1 ? '' : 's'}`, 'LINT_FINDINGS');
  }
  io.err(`validate: ${templates.length} templates, 0 errors, 0 warnings\n`);
  return { findings, templates };
}
