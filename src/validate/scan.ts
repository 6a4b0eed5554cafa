// The security scan: checkov over every generated template, twice. As
// shipped, checkov skips each resource whose condition does not hold under
// the parameter defaults, so the optional VPC, EMR, Redshift and legacy
// resources would never be scanned; the second pass scans a variant of each
// template in which every condition holds (and so every resource exists and
// every Fn::If takes its first branch). Deliberate findings are skipped in
// the resource's Metadata, with a reason, through the template toolkit.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseTemplate } from '../cfn/yaml';
import { ValidationError } from '../errors';
import { findTool, runTool, type Tool } from './tool';

const CHECKOV: Tool = {
  name: 'checkov',
  local: '.venv/checkov/bin/checkov',
  missing: 'CHECKOV_MISSING',
  failed: 'CHECKOV_FAILED',
};

/** Which form of a template a finding is in. */
export type ScanVariant = 'as shipped' | 'every condition on';

/** One failed checkov check. */
export interface ScanFinding {
  /** Repository-relative path of the template. */
  readonly file: string;
  readonly variant: ScanVariant;
  /** The resource's logical id. */
  readonly resource: string;
  /** The check id, e.g. `CKV_AWS_18`. */
  readonly check: string;
  /** What the check wants. */
  readonly title: string;
  /** The resource's first line in the shipped template; 0 in the variant. */
  readonly line: number;
}

/** What one scan found. */
export interface ScanResult {
  readonly findings: readonly ScanFinding[];
  /** Checks passed, over both variants. */
  readonly passed: number;
  /** Checks skipped by a resource's Metadata, over both variants. */
  readonly skipped: number;
}

/** Options of one scan. */
export interface ScanOptions {
  /** The repository root: templates are given and reported relative to it. */
  readonly root: string;
  /** Repository-relative paths of the templates to scan. */
  readonly templates: readonly string[];
  /** The environment, for PATH. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

type Json = Record<string, unknown>;

/**
 * The template with every condition holding: each condition becomes a
 * comparison that is always true, resources and outputs lose their Condition
 * attribute, and each Fn::If is replaced by its first branch (a property or
 * list item whose branch is AWS::NoValue is left out), so a scanner sees every
 * resource there is with the properties it has when its features are on.
 */
export function everyConditionOn(template: Json): Json {
  const out = takeFirstBranches(template) as Json;
  const conditions = (out.Conditions ?? {}) as Json;
  for (const name of Object.keys(conditions)) conditions[name] = { 'Fn::Equals': ['on', 'on'] };
  for (const section of ['Resources', 'Outputs']) {
    for (const item of Object.values((out[section] ?? {}) as Record<string, Json>)) delete item.Condition;
  }
  return out;
}

const NO_VALUE = Symbol('AWS::NoValue');

function takeFirstBranches(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(takeFirstBranches).filter((item) => item !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Json;
  const keys = Object.keys(object);
  if (keys.length === 1 && keys[0] === 'Fn::If' && Array.isArray(object['Fn::If']))
    return takeFirstBranches(object['Fn::If'][1]);
  if (keys.length === 1 && keys[0] === 'Ref' && object.Ref === 'AWS::NoValue') return NO_VALUE;
  const out: Json = {};
  for (const key of keys) {
    // Conditions keep their own functions: only values choose branches.
    const item = key === 'Conditions' ? structuredClone(object[key]) : takeFirstBranches(object[key]);
    if (item !== NO_VALUE) out[key] = item;
  }
  return out;
}

/** Runs checkov once over the templates as shipped and with every condition on. */
export async function scanTemplates(options: ScanOptions): Promise<ScanResult> {
  const exe = findTool(CHECKOV, options.root, options.env);
  const work = mkdtempSync(join(tmpdir(), 'dataless-scan-'));
  try {
    const files = new Map<string, { file: string; variant: ScanVariant }>();
    for (const file of options.templates) {
      const shipped = resolve(options.root, ...file.split('/'));
      const variant = join(work, ...`${file}.json`.split('/'));
      const json = parseTemplate(readFileSync(shipped, 'utf8'), file) as Json;
      mkdirSync(dirname(variant), { recursive: true });
      writeFileSync(variant, JSON.stringify(everyConditionOn(json), null, 1));
      files.set(shipped, { file, variant: 'as shipped' });
      files.set(variant, { file, variant: 'every condition on' });
    }
    const args = [
      '--framework',
      'cloudformation',
      '--skip-download',
      '--compact',
      '--quiet',
      '--output',
      'json',
      ...[...files.keys()].flatMap((f) => ['--file', f]),
    ];
    // No network: the guideline download and the mapping fetch are both off.
    const env = {
      ...(options.env ?? process.env),
      BC_SKIP_MAPPING: 'TRUE',
      CHECKOV_RUN_SCA_PACKAGE_SCAN_V2: 'false',
      ANSI_COLORS_DISABLED: 'true',
    };
    const { code, stdout, stderr } = await runTool(CHECKOV, exe, args, work, env);
    // checkov exits 1 when a check failed and 0 when none did; anything else is its own failure.
    if (code !== 0 && code !== 1)
      throw new ValidationError(
        `checkov failed (exit ${code}): ${(stderr.trim() || stdout.trim()).slice(-500)}`,
        'CHECKOV_FAILED',
      );
    return parseReport(stdout, files);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** What checkov's JSON output holds per framework, as far as it is read here. */
interface CheckovReport {
  readonly summary?: { readonly passed?: number; readonly skipped?: number; readonly parsing_errors?: number };
  readonly results?: {
    readonly failed_checks?: ReadonlyArray<{
      readonly check_id: string;
      readonly check_name: string;
      /** `AWS::S3::Bucket.Bucket`: the type, a dot, the logical id. */
      readonly resource: string;
      readonly file_abs_path: string;
      readonly file_line_range?: readonly number[];
    }>;
    readonly parsing_errors?: readonly string[];
  };
}

function parseReport(stdout: string, files: ReadonlyMap<string, { file: string; variant: ScanVariant }>): ScanResult {
  let reports: CheckovReport[];
  try {
    const parsed = JSON.parse(stdout) as CheckovReport | CheckovReport[];
    reports = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    throw new ValidationError(`checkov printed something that is not JSON: ${stdout.slice(0, 200)}`, 'CHECKOV_FAILED');
  }
  const findings: ScanFinding[] = [];
  let passed = 0;
  let skipped = 0;
  for (const report of reports) {
    // With nothing to scan checkov prints a bare summary.
    if (!report.results) continue;
    const unparsed = Number(report.summary?.parsing_errors ?? 0);
    if (unparsed > 0) {
      throw new ValidationError(
        `checkov could not parse ${unparsed} template(s): ${JSON.stringify(report.results.parsing_errors ?? [])}`,
        'CHECKOV_FAILED',
      );
    }
    passed += Number(report.summary?.passed ?? 0);
    skipped += Number(report.summary?.skipped ?? 0);
    for (const f of report.results.failed_checks ?? []) {
      const where = files.get(resolve(String(f.file_abs_path)));
      if (!where)
        throw new ValidationError(`checkov reported a file it was not given: ${f.file_abs_path}`, 'CHECKOV_FAILED');
      findings.push({
        ...where,
        resource: String(f.resource).split('.').slice(1).join('.'),
        check: String(f.check_id),
        title: String(f.check_name),
        line: where.variant === 'as shipped' ? Number(f.file_line_range?.[0] ?? 0) : 0,
      });
    }
  }
  findings.sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.variant.localeCompare(b.variant) ||
      a.resource.localeCompare(b.resource) ||
      a.check.localeCompare(b.check),
  );
  return { findings, passed, skipped };
}

/** `file:line check resource: title`, and the variant when it is not the shipped template. */
export function formatScanFinding(f: ScanFinding): string {
  const where = f.variant === 'as shipped' ? `${f.file}:${f.line}` : `${f.file} (${f.variant})`;
  return `${where} ${f.check} ${f.resource}: ${f.title}`;
}
