import {
  branchConfigPath,
  CONFIG_DIR,
  checkConfigFile,
  defaultValidator,
  existingConfigPath,
  listBranches,
} from '../config/load';
import { formatProblem, type ConfigProblem } from '../config/problems';
import { ConfigError, ValidationError } from '../errors';
import type { IO } from '../io';
import { stacks } from '../stacks';
import { formatFinding, lintTemplates, type LintFinding } from './lint';
import { formatScanFinding, scanTemplates, type ScanFinding, type ScanResult } from './scan';

/** Options of `dataless validate`. */
export interface ValidateOptions {
  /** The repository root. */
  readonly root: string;
  /** Check only config/<branch>.json. @default every config file under config/ */
  readonly branch?: string;
  /** Repository-relative paths of the templates to lint. @default every template `dataless synth` generates */
  readonly templates?: readonly string[];
  /** Also run the checkov security scan over the templates as shipped and with every condition on. @default true */
  readonly scan?: boolean;
}

/** What was found in one config file. */
export interface ConfigReport {
  /** The branch the file configures. */
  readonly branch: string;
  /** Repository-relative path of the file. */
  readonly file: string;
  /** Everything wrong with it; empty when it is good. */
  readonly problems: readonly ConfigProblem[];
}

/** What `dataless validate` found. */
export interface ValidateResult {
  /** The config files checked. */
  readonly configs: readonly ConfigReport[];
  /** cfn-lint findings at error or warning level; informational ones are not counted. */
  readonly findings: readonly LintFinding[];
  /** The templates linted. */
  readonly templates: readonly string[];
  /** checkov's failed checks; empty when the scan was not run. */
  readonly scanFindings: readonly ScanFinding[];
}

/**
 * Checks the branch config files against the root template's parameters, then
 * lints every generated template with cfn-lint and scans it with checkov, once,
 * and returns everything found; progress goes to stderr. Config problems fail
 * with exit 2, lint findings and failed checks with exit 1, the result attached.
 */
export async function validate(options: ValidateOptions, io: IO): Promise<ValidateResult> {
  const { root } = options;
  const branches = options.branch !== undefined ? [options.branch] : listBranches(root);
  if (options.branch !== undefined) existingConfigPath(root, options.branch);
  const templates = options.templates ?? stacks.map((s) => s.path);
  // cfn-lint is a separate, slow process: start it first and check the configs while it runs.
  io.err(`validate: linting ${plural(templates.length, 'template')} with cfn-lint\n`);
  const linting = lintTemplates({ root, templates });
  linting.catch(() => undefined); // awaited below; this only keeps an early config failure from leaving it unhandled
  const scan = options.scan ?? true;
  if (scan) io.err(`validate: scanning them with checkov, as shipped and with every condition on\n`);
  const scanning: Promise<ScanResult | undefined> = scan
    ? scanTemplates({ root, templates })
    : Promise.resolve(undefined);
  scanning.catch(() => undefined); // as above

  if (branches.length === 0)
    io.err(`validate: warning: no config files under ${CONFIG_DIR}/, so no branch config is checked\n`);
  else io.err(`validate: checking ${plural(branches.length, 'config file')}\n`);
  const configs: ConfigReport[] = branches.map((branch) => {
    const file = branchConfigPath(branch);
    return { branch, file, problems: checkConfigFile(root, file, defaultValidator()).problems };
  });
  const problems = configs.flatMap((c) => c.problems);

  let all: LintFinding[] = [];
  let lintFailure = '';
  try {
    all = await linting;
  } catch (error) {
    // Config problems decide the exit status; a lint run that could not happen is named beside them.
    if (problems.length === 0) throw error;
    lintFailure = `; cfn-lint did not run: ${(error as Error).message}`;
  }
  const findings = all.filter((f) => f.level !== 'Informational');
  let scanned: ScanResult | undefined;
  try {
    scanned = await scanning;
  } catch (error) {
    if (problems.length === 0) throw error;
    lintFailure += `; checkov did not run: ${(error as Error).message}`;
  }
  const scanFindings = scanned?.findings ?? [];
  const result: ValidateResult = { configs, templates, findings, scanFindings };

  if (problems.length > 0) {
    const bad = configs.filter((c) => c.problems.length > 0).map((c) => `${c.file} (${c.problems.length})`);
    const lint =
      (findings.length > 0 ? `; cfn-lint also reported ${plural(findings.length, 'finding')}` : '') +
      (scanFindings.length > 0 ? `; checkov also reported ${plural(scanFindings.length, 'failed check')}` : '');
    throw new ConfigError(
      `${plural(problems.length, 'config problem')} in ${bad.join(', ')}${lint}${lintFailure}; fix each one listed, then run \`dataless validate\` again`,
    ).withResult(result);
  }
  if (findings.length > 0) {
    const files = new Set(findings.map((f) => f.file)).size;
    const also =
      scanFindings.length > 0 ? `; checkov also reported ${plural(scanFindings.length, 'failed check')}` : '';
    throw new ValidationError(
      `cfn-lint reported ${plural(findings.length, 'finding')} in ${plural(files, 'template')}${also}`,
      'LINT_FINDINGS',
    ).withResult(result);
  }
  if (scanFindings.length > 0) {
    const files = new Set(scanFindings.map((f) => f.file)).size;
    throw new ValidationError(
      `checkov reported ${plural(scanFindings.length, 'failed check')} in ${plural(files, 'template')}; fix each one, or skip a deliberate one in the resource's scanExceptions with the reason`,
      'SCAN_FINDINGS',
    ).withResult(result);
  }
  const security = scanned
    ? `, ${scanned.passed} security checks passed (${scanned.skipped} skipped with a reason)`
    : ', security scan not run';
  io.err(
    `validate: ${plural(configs.length, 'config file')} and ${plural(templates.length, 'template')}, 0 problems, 0 errors, 0 warnings${security}\n`,
  );
  return result;
}

/** The text form of a validate result: each config problem, cfn-lint finding and failed checkov check, one per line. */
export function formatValidate(result: ValidateResult): string {
  return [
    ...result.configs.flatMap((c) => c.problems).map(formatProblem),
    ...result.findings.map(formatFinding),
    ...result.scanFindings.map(formatScanFinding),
  ]
    .map((line) => `${line}\n`)
    .join('');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
