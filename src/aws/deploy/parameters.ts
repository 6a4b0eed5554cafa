// Which parameter values a change set carries. A stack keeps the value of a
// parameter the caller does not give when the template would otherwise lose
// it: always for NoEcho values (CloudFormation never shows them, so they cannot
// be compared or re-sent) and for parameters without a default.
import type { Parameter } from '@aws-sdk/client-cloudformation';
import { ConfigError } from '../../errors';
import { parseTemplate } from '../../cfn/yaml';

/** A parameter a template declares. */
export interface DeclaredParameter {
  readonly name: string;
  /** CloudFormation masks the value in every answer. */
  readonly noEcho: boolean;
  /** The template gives a default, so the parameter may be left out. */
  readonly hasDefault: boolean;
}

/** One parameter as the change set will carry it. */
export interface PlannedParameter {
  readonly name: string;
  readonly noEcho: boolean;
  /** The value sent; undefined when the previous one is kept. */
  readonly value?: string;
  /** The stack keeps the value it has. */
  readonly usePrevious: boolean;
  /** The stack's current value, when it has one and it is not masked. */
  readonly previous?: string;
}

/** What to send, and what is missing. */
export interface ParameterPlan {
  readonly parameters: readonly PlannedParameter[];
  /** Declared parameters without a default that nobody gives a value for. */
  readonly missing: readonly string[];
}

/** The parameters a template (YAML or JSON text) declares, in its order. */
export function declaredParameters(templateText: string, where: string): DeclaredParameter[] {
  const json = parseTemplate(templateText, where) as {
    Parameters?: Record<string, { NoEcho?: unknown; Default?: unknown }>;
  };
  return Object.entries(json.Parameters ?? {}).map(([name, p]) => ({
    name,
    noEcho: p?.NoEcho === true || p?.NoEcho === 'true',
    hasDefault: p?.Default !== undefined,
  }));
}

/** Options of planParameters. */
export interface PlanOptions {
  /** What the template declares. */
  readonly declared: readonly DeclaredParameter[];
  /** The values given (names the template does not declare are ignored). */
  readonly given: Readonly<Record<string, string>>;
  /** The stack's current parameters; undefined when the stack is created. */
  readonly existing?: readonly Parameter[];
  /** Keep the current value of every parameter not given, not only of NoEcho ones and those without a default. @default false */
  readonly keepUnspecified?: boolean;
}

/** Decides each parameter's value for a change set. Pure. */
export function planParameters(options: PlanOptions): ParameterPlan {
  const current = new Map((options.existing ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue]));
  const parameters: PlannedParameter[] = [];
  const missing: string[] = [];
  for (const d of options.declared) {
    const previous = d.noEcho ? undefined : current.get(d.name);
    const value = Object.prototype.hasOwnProperty.call(options.given, d.name) ? options.given[d.name] : undefined;
    if (value !== undefined) {
      parameters.push({ name: d.name, noEcho: d.noEcho, value, usePrevious: false, previous });
    } else if (current.has(d.name) && (options.keepUnspecified || d.noEcho || !d.hasDefault)) {
      parameters.push({ name: d.name, noEcho: d.noEcho, usePrevious: true, previous });
    } else if (!d.hasDefault) {
      missing.push(d.name);
    }
  }
  return { parameters, missing };
}

/** The plan in CloudFormation's form. */
export function toCloudFormation(plan: readonly PlannedParameter[]): Parameter[] {
  return plan.map((p) =>
    p.usePrevious
      ? { ParameterKey: p.name, UsePreviousValue: true }
      : { ParameterKey: p.name, ParameterValue: p.value },
  );
}

/** Fails, naming them and where values come from, when parameters without a default have no value. */
export function requireComplete(plan: ParameterPlan, stackName: string, source: string): void {
  if (plan.missing.length === 0) return;
  throw new ConfigError(
    `stack ${stackName} needs a value for ${plan.missing.join(', ')} (no default in the template, none given, none to keep): set ${plan.missing.length === 1 ? 'it' : 'them'} in ${source}`,
    'PARAMETER_MISSING',
  );
}
