// Finding and loading config/<branch>.json. Every command that reads a
// branch config goes through loadConfig, so config errors are reported, all
// at once, before anything else happens.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from '../cfn/template';
import { ConfigError, UsageError } from '../errors';
import { formatProblem } from './problems';
import { SCHEMA_PATH } from './schema';
import { ConfigValidator, type ConfigCheck } from './validate';

/** The folder of the branch config files, relative to the repository root. */
export const CONFIG_DIR = 'config';

/** A branch config that passed every check. */
export interface BranchConfig {
  /** The branch name. */
  readonly branch: string;
  /** Repository-relative path of the file. */
  readonly file: string;
  /** The parameters the file sets, as text (CloudFormation's form); the others take their defaults. */
  readonly parameters: Readonly<Record<string, string>>;
}

/** Options of loadConfig. */
export interface LoadConfigOptions {
  /** Check against this template's parameters. @default the root application template */
  readonly template?: Template;
}

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** Repository-relative path of a branch's config; refuses names that would leave the config folder. */
export function branchConfigPath(branch: string): string {
  const segments = branch.split('/');
  if (branch === '' || !segments.every((s) => SEGMENT.test(s)) || branch === 'schema') {
    throw new UsageError(
      `branch name ${JSON.stringify(branch)} cannot name a config file: use letters, digits, '.', '_' and '-', with '/' between parts (and not "schema", which is the generated schema)`,
    );
  }
  return `${CONFIG_DIR}/${branch}.json`;
}

/** The branches that have a config file, sorted; a branch such as feature/x lives at config/feature/x.json. */
export function listBranches(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory()) walk(join(dir, entry.name), `${name}/`);
      else if (entry.name.endsWith('.json') && `${CONFIG_DIR}/${name}` !== SCHEMA_PATH)
        out.push(name.slice(0, -'.json'.length));
    }
  };
  walk(join(root, CONFIG_DIR), '');
  return out.sort();
}

/** Repository-relative path of a branch's config file; a ConfigError naming the branches that have one when it does not exist. */
export function existingConfigPath(root: string, branch: string): string {
  const file = branchConfigPath(branch);
  if (existsSync(join(root, ...file.split('/')))) return file;
  const branches = listBranches(root);
  const known =
    branches.length > 0
      ? `the branches with a config are ${branches.join(', ')}`
      : `there are no config files in ${CONFIG_DIR}/`;
  throw new ConfigError(
    `${file} does not exist (${known}); create it, e.g. by copying ${CONFIG_DIR}/${branches.includes('master') ? 'master' : (branches[0] ?? 'master')}.json`,
    'CONFIG_MISSING',
  );
}

/** Reads and checks one config file (repository-relative path). */
export function checkConfigFile(root: string, file: string, validator: ConfigValidator): ConfigCheck {
  let text: string;
  try {
    text = readFileSync(join(root, ...file.split('/')), 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`, 'CONFIG_UNREADABLE');
  }
  return validator.check(file, text);
}

/** The error listing every problem of some config files. */
function configProblemsError(checks: readonly ConfigCheck[]): ConfigError {
  const bad = checks.filter((c) => c.problems.length > 0);
  const count = bad.reduce((n, c) => n + c.problems.length, 0);
  const lines = bad.flatMap((c) => c.problems.map((p) => `  ${formatProblem(p)}`));
  const files = bad.map((c) => c.file).join(', ');
  return new ConfigError(
    `${files} ${bad.length === 1 ? 'has' : 'have'} ${count} problem${count === 1 ? '' : 's'}:\n${lines.join('\n')}`,
  );
}

let appValidator: ConfigValidator | undefined;

/** The validator of the root application template's parameters, built once per process. */
export function defaultValidator(): ConfigValidator {
  if (!appValidator) {
    const { ROOT_STACK } = require('../stacks') as typeof import('../stacks');
    appValidator = new ConfigValidator(ROOT_STACK.build());
  }
  return appValidator;
}

/**
 * Loads config/<branch>.json and checks it; throws ConfigError (exit 2)
 * naming every problem, or the missing file and the branches that exist.
 */
export function loadConfig(root: string, branch: string, options: LoadConfigOptions = {}): BranchConfig {
  const file = existingConfigPath(root, branch);
  const validator = options.template ? new ConfigValidator(options.template) : defaultValidator();
  const check = checkConfigFile(root, file, validator);
  if (check.problems.length > 0) throw configProblemsError([check]);
  return { branch, file, parameters: check.parameters };
}
