// The report as text (a terminal or a log), markdown (a review comment) and
// JSON (the report objects as they are).
import { palette } from '../palette';
import type {
  DiffReport,
  PathChange,
  PropertyChange,
  ResourceChange,
  SecurityChange,
  StackReport,
  Summary,
  ValueChange,
} from './model';

export type DiffFormat = 'text' | 'markdown' | 'json';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'markdown', 'json'];

/** What the report compares, for its first line: e.g. `HEAD` or `stack dataless-master`. */
export interface RenderContext {
  /** The side compared against, e.g. `HEAD` or `deployed stack dataless-master`. */
  readonly base: string;
  /** Show only the security tables. @default false */
  readonly securityOnly?: boolean;
  /** Colour the text format. @default false */
  readonly color?: boolean;
}

export function renderReport(report: DiffReport, format: DiffFormat, context: RenderContext): string {
  const shown = context.securityOnly
    ? { ...report, stacks: report.stacks.filter((s) => s.security.length > 0).map(securityOnly) }
    : report;
  if (format === 'json') return `${JSON.stringify(shown, null, 2)}\n`;
  return format === 'markdown' ? markdown(shown, context) : text(shown, context);
}

function securityOnly(stack: StackReport): StackReport {
  return { ...stack, resources: [], parameters: [], outputs: [] };
}

/** One value as it is shown: strings quoted, anything else as compact JSON, long values cut. */
export function show(value: unknown, limit = 120): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** The summary as one sentence. */
export function summaryLine(summary: Summary, stacks: number, base: string): string {
  if (stacks === 0) return `no differences from ${base}`;
  const parts = [`${summary.added} added`, `${summary.removed} removed`, `${summary.modified} modified`];
  return (
    `${stacks} stack${stacks === 1 ? '' : 's'} changed from ${base}: resources ${parts.join(', ')}; ` +
    `${summary.replaced} replaced, ${summary.dataLoss} losing data, ${summary.broadening} broadening permissions or network access`
  );
}

const SIGN = { add: '+', remove: '-', modify: '~' } as const;

function text(report: DiffReport, context: RenderContext): string {
  const p = palette(Boolean(context.color));
  const paintSign = (change: keyof typeof SIGN) =>
    (change === 'add' ? p.green : change === 'remove' ? p.red : p.yellow)(`[${SIGN[change]}]`);
  const lines: string[] = [];
  for (const stack of report.stacks) {
    lines.push(p.bold(`Stack ${stack.path}`) + p.dim(` (${stack.template})`));
    if (stack.resources.length > 0) {
      lines.push('Resources');
      for (const r of stack.resources) {
        lines.push(`  ${paintSign(r.change)} ${r.type} ${r.logicalId}${resourceNotes(r, p)}`);
        for (const prop of r.properties)
          lines.push(
            `      ${prop.path}: ${show(prop.old)} → ${show(prop.new)}${prop.replacement === 'never' ? '' : p.red(` (replaces: ${prop.replacement})`)}`,
          );
      }
    }
    const iam = stack.security.filter((s) => s.kind !== 'security-group');
    const rules = stack.security.filter((s) => s.kind === 'security-group');
    if (iam.length > 0) {
      lines.push('IAM statements and policies');
      for (const s of iam)
        lines.push(`  ${paintSign(s.change)} ${iamCells(s).join('  ')}${s.broadening ? p.red('  BROADENING') : ''}`);
    }
    if (rules.length > 0) {
      lines.push('Security group rules');
      for (const s of rules)
        lines.push(`  ${paintSign(s.change)} ${ruleCells(s).join('  ')}${s.broadening ? p.red('  BROADENING') : ''}`);
    }
    for (const [title, values] of [
      ['Parameters', stack.parameters],
      ['Outputs', stack.outputs],
    ] as const) {
      if (values.length === 0) continue;
      lines.push(title);
      for (const v of values) {
        lines.push(`  ${paintSign(v.change)} ${v.name}`);
        for (const c of v.properties) lines.push(`      ${c.path || '(value)'}: ${show(c.old)} → ${show(c.new)}`);
      }
    }
    lines.push('');
  }
  lines.push(summaryLine(report.summary, report.stacks.length, context.base));
  return `${lines.join('\n')}\n`;
}

function resourceNotes(r: ResourceChange, p: ReturnType<typeof palette>): string {
  const notes: string[] = [];
  if (r.change === 'modify' && r.replacement !== 'never')
    notes.push(p.red(r.replacement === 'always' ? 'REPLACED' : 'MAY BE REPLACED'));
  if (r.dataLoss) notes.push(p.red(p.bold('DATA LOSS')));
  return notes.length > 0 ? `  ${notes.join(' ')}` : '';
}

function iamCells(s: SecurityChange): string[] {
  if (s.managedPolicy !== undefined) return [s.resource, 'managed policy', s.managedPolicy];
  return [
    s.resource,
    s.kind === 'resource-policy' ? 'resource policy' : 'identity policy',
    s.effect ?? '',
    (s.principals ?? []).join(', ') || '-',
    (s.actions ?? []).join(', '),
    (s.resources ?? []).join(', ') || '-',
    s.conditions === undefined ? '' : `when ${show(s.conditions, 200)}`,
  ].filter((c) => c !== '');
}

function ruleCells(s: SecurityChange): string[] {
  return [s.resource, s.group ?? '', s.direction ?? '', s.protocol ?? '', s.peer ?? ''];
}

// Markdown: a summary line, then a section per stack with tables.

const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: string) => (value === '' ? '' : `\`${value.replace(/`/g, "'")}\``);

function markdown(report: DiffReport, context: RenderContext): string {
  const out: string[] = [`**dataless diff**: ${summaryLine(report.summary, report.stacks.length, context.base)}`, ''];
  for (const stack of report.stacks) {
    out.push(`### ${stack.path}`, '', `Template: \`${stack.template}\``, '');
    if (stack.resources.length > 0) {
      out.push('| | resource | type | replacement | data loss | changes |', '| --- | --- | --- | --- | --- | --- |');
      for (const r of stack.resources) {
        out.push(
          `| ${SIGN[r.change]} | ${cell(r.logicalId)} | ${cell(r.type)} | ${r.change === 'modify' ? r.replacement : ''} | ${r.dataLoss ? '**yes**' : ''} | ${cell(r.properties.map(propertyText).join('<br>'))} |`,
        );
      }
      out.push('');
    }
    const iam = stack.security.filter((s) => s.kind !== 'security-group');
    if (iam.length > 0) {
      out.push(
        'IAM statements and policies',
        '',
        '| | resource | kind | effect | principals | actions | resources | conditions | broadening |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      );
      for (const s of iam) {
        const kind = s.managedPolicy !== undefined ? 'managed policy' : s.kind;
        const actions = s.managedPolicy ?? (s.actions ?? []).join(', ');
        out.push(
          `| ${SIGN[s.change]} | ${cell(s.resource)} | ${kind} | ${s.effect ?? ''} | ${cell(code((s.principals ?? []).join(', ')))} | ${cell(code(actions))} | ${cell(code((s.resources ?? []).join(', ')))} | ${s.conditions === undefined ? '' : cell(code(show(s.conditions, 200)))} | ${s.broadening ? '**yes**' : ''} |`,
        );
      }
      out.push('');
    }
    const rules = stack.security.filter((s) => s.kind === 'security-group');
    if (rules.length > 0) {
      out.push(
        'Security group rules',
        '',
        '| | resource | group | direction | protocol | peer | broadening |',
        '| --- | --- | --- | --- | --- | --- | --- |',
      );
      for (const s of rules)
        out.push(
          `| ${SIGN[s.change]} | ${cell(s.resource)} | ${cell(code(s.group ?? ''))} | ${s.direction} | ${cell(s.protocol ?? '')} | ${cell(code(s.peer ?? ''))} | ${s.broadening ? '**yes**' : ''} |`,
        );
      out.push('');
    }
    for (const [title, values] of [
      ['Parameters', stack.parameters],
      ['Outputs', stack.outputs],
    ] as const) {
      if (values.length === 0) continue;
      out.push(title, '', '| | name | changes |', '| --- | --- | --- |');
      for (const v of values) out.push(`| ${SIGN[v.change]} | ${cell(v.name)} | ${cell(valueText(v))} |`);
      out.push('');
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function propertyText(c: PropertyChange): string {
  return `${code(c.path)}: ${code(show(c.old))} → ${code(show(c.new))}`;
}

function valueText(v: ValueChange): string {
  return v.properties
    .map((c: PathChange) => `${c.path ? `${code(c.path)}: ` : ''}${code(show(c.old))} → ${code(show(c.new))}`)
    .join('<br>');
}
