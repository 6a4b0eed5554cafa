// Turns ajv's errors into messages that name the bad value and say what the
// parameter allows, worded from the parameter's own declaration.
import type { ErrorObject } from 'ajv';
import type { Parameter, ParameterDefinition } from '../cfn/template';
import { childPointer, pointerSegments } from './json-source';
import { describeType, showValue } from './problems';
import { anchoredPattern, isBuildParameter, isNumberParameter, TOP_LEVEL_KEYS } from './schema';
import { closest } from './suggest';

/** A problem before it is given a file and a place: `at` says whether to point at the key or the value. */
export interface Explained {
  readonly pointer: string;
  readonly at: 'key' | 'value';
  readonly rule: string;
  readonly message: string;
}

/** What explaining needs to know about the template. */
export interface ExplainContext {
  /** Every declared parameter, by logical id. */
  readonly parameters: ReadonlyMap<string, Parameter>;
  /** The names a config file may set, for suggestions. */
  readonly configNames: readonly string[];
  /** The names the build fills in. */
  readonly buildNames: readonly string[];
}

/** What a parameter accepts, in words: "one of A, B", "a number from 1 to 256", "text matching ^x$". */
function allowedText(d: ParameterDefinition): string {
  if (d.allowedValues)
    return `one of ${d.allowedValues.map((v) => (isNumberParameter(d) ? String(v) : JSON.stringify(String(v)))).join(', ')}`;
  if (isNumberParameter(d)) {
    const range =
      d.minValue !== undefined && d.maxValue !== undefined
        ? ` from ${d.minValue} to ${d.maxValue}`
        : d.minValue !== undefined
          ? ` of at least ${d.minValue}`
          : d.maxValue !== undefined
            ? ` of at most ${d.maxValue}`
            : '';
    return `${d.integer ? 'a whole number' : 'a number'}${range} (or the same number as a string, such as "${d.minValue ?? 1}")`;
  }
  let text = d.type === 'String' ? 'text' : `text (a ${d.type} value)`;
  if (d.allowedPattern !== undefined) text += ` matching ${anchoredPattern(d.allowedPattern)}`;
  if (d.minLength !== undefined || d.maxLength !== undefined) text += ` of ${lengthText(d)}`;
  if (d.constraintDescription) text += ` (${d.constraintDescription})`;
  return text;
}

function lengthText(d: ParameterDefinition): string {
  if (d.minLength !== undefined && d.maxLength !== undefined) return `${d.minLength} to ${d.maxLength} characters`;
  if (d.minLength !== undefined) return `at least ${d.minLength} characters`;
  return `at most ${d.maxLength} characters`;
}

/** The value as a message shows it; a NoEcho parameter's value is never repeated. */
function shown(d: ParameterDefinition | undefined, value: unknown): string {
  return d?.noEcho ? 'the value given (hidden: NoEcho)' : showValue(value);
}

/**
 * Explains ajv's errors for one document. `original` is the document as
 * written, `checked` the one ajv saw (numeric strings of Number parameters
 * turned into numbers).
 */
export function explainErrors(
  errors: readonly ErrorObject[],
  original: Record<string, unknown>,
  checked: Record<string, unknown>,
  ctx: ExplainContext,
): Explained[] {
  const out: Explained[] = [];
  const byValue = new Map<string, ErrorObject[]>();
  const topLevelUnknown = errors
    .filter((e) => e.instancePath === '' && e.keyword === 'additionalProperties')
    .map((e) => String(e.params.additionalProperty));
  const parametersMissing = errors.some(
    (e) => e.instancePath === '' && e.keyword === 'required' && e.params.missingProperty === 'Parameters',
  );
  const misspelled = parametersMissing
    ? topLevelUnknown.find((key) => closest(key, ['Parameters']) === 'Parameters')
    : undefined;

  for (const error of errors) {
    const path = error.instancePath;
    if (path === '' && error.keyword === 'required') {
      out.push(
        misspelled !== undefined
          ? {
              pointer: childPointer('', misspelled),
              at: 'key',
              rule: 'config-missing-parameters',
              message: `is not a known key and Parameters is missing: rename ${JSON.stringify(misspelled)} to "Parameters"`,
            }
          : {
              pointer: '',
              at: 'value',
              rule: 'config-missing-parameters',
              message: 'Parameters is missing; add "Parameters": {} (a parameter left out takes its default)',
            },
      );
    } else if (path === '' && error.keyword === 'additionalProperties') {
      const key = String(error.params.additionalProperty);
      if (key === misspelled) continue;
      const guess = closest(key, TOP_LEVEL_KEYS);
      out.push({
        pointer: childPointer('', key),
        at: 'key',
        rule: 'config-unknown-key',
        message: `unknown top-level key${guess ? `; did you mean ${JSON.stringify(guess)}?` : ''} (only ${TOP_LEVEL_KEYS.map((k) => JSON.stringify(k)).join(' and ')} belong at the top level; parameters go inside "Parameters")`,
      });
    } else if (path === '/$schema') {
      out.push({
        pointer: path,
        at: 'value',
        rule: 'config-type',
        message: `${showValue(original.$schema)} is ${describeType(original.$schema)}; use the schema's path as a string, such as "./schema.json"`,
      });
    } else if (path === '/Parameters') {
      out.push(...explainParametersObject(error, original.Parameters, ctx));
    } else if (pointerSegments(path)[0] === 'Parameters' && pointerSegments(path).length === 2) {
      byValue.set(path, [...(byValue.get(path) ?? []), error]);
    } else {
      out.push({ pointer: path, at: 'value', rule: 'config-invalid', message: error.message ?? 'is not valid' });
    }
  }
  for (const [pointer, group] of byValue) {
    const name = pointerSegments(pointer)[1]!;
    const parameter = ctx.parameters.get(name);
    if (!parameter) continue;
    const value = (original.Parameters as Record<string, unknown>)[name];
    const checkedValue = (checked.Parameters as Record<string, unknown>)[name];
    out.push(...explainValue(pointer, parameter, value, checkedValue, group, ctx));
  }
  return dedupe(out);
}

function explainParametersObject(error: ErrorObject, value: unknown, ctx: ExplainContext): Explained[] {
  if (error.keyword === 'type') {
    return [
      {
        pointer: '/Parameters',
        at: 'value',
        rule: 'config-not-object',
        message: `${showValue(value)} is ${describeType(value)}; Parameters must be an object of parameter names to values, such as {"Stage": "Prod"}`,
      },
    ];
  }
  if (error.keyword === 'additionalProperties') {
    const name = String(error.params.additionalProperty);
    const guess = closest(name, ctx.configNames);
    return [
      {
        pointer: childPointer('/Parameters', name),
        at: 'key',
        rule: 'config-unknown-parameter',
        message: guess
          ? `unknown parameter; did you mean ${guess}?`
          : `unknown parameter; the template's parameters are ${ctx.configNames.join(', ')}`,
      },
    ];
  }
  if (error.keyword === 'required') {
    const name = String(error.params.missingProperty);
    const d = ctx.parameters.get(name)?.definition;
    return [
      {
        pointer: childPointer('/Parameters', name),
        at: 'key',
        rule: 'config-required',
        message: `is required, as it has no default (${d?.description ?? 'no description'}); set it to ${d ? allowedText(d) : 'a value'}`,
      },
    ];
  }
  return [{ pointer: '/Parameters', at: 'value', rule: 'config-invalid', message: error.message ?? 'is not valid' }];
}

function explainValue(
  pointer: string,
  parameter: Parameter,
  value: unknown,
  checked: unknown,
  errors: readonly ErrorObject[],
  ctx: ExplainContext,
): Explained[] {
  const d = parameter.definition;
  const show = shown(d, value);
  const allowed = allowedText(d);
  const keywords = new Set(errors.map((e) => e.keyword));
  const problem = (rule: string, message: string): Explained => ({ pointer, at: 'value', rule, message });

  if (isBuildParameter(parameter)) {
    return [
      {
        pointer,
        at: 'key',
        rule: 'config-build-parameter',
        message: `is filled in by the build, not by the config file (as are ${ctx.buildNames.join(', ')}); remove it`,
      },
    ];
  }
  if (isNumberParameter(d)) {
    if (typeof checked === 'number') {
      if (keywords.has('enum')) return [problem('config-allowed-values', `${show} is not allowed; use ${allowed}`)];
      if (keywords.has('minimum'))
        return [problem('config-range', `${show} is below the minimum ${d.minValue}; use ${allowed}`)];
      if (keywords.has('maximum'))
        return [problem('config-range', `${show} is above the maximum ${d.maxValue}; use ${allowed}`)];
      if (d.integer && !Number.isInteger(checked))
        return [problem('config-type', `${show} is not a whole number; use ${allowed}`)];
    }
    if (typeof checked === 'string') return [problem('config-type', `${show} is not a number; use ${allowed}`)];
    return [problem('config-type', `${isA(show, value)}; use ${allowed}`)];
  }
  if (keywords.has('type')) {
    if (typeof value === 'number' || typeof value === 'boolean') {
      return [
        problem(
          'config-type',
          `${show} is ${describeType(value)}, but ${parameter.logicalId} takes text: write it in quotes, "${String(value)}"${d.allowedValues || d.allowedPattern ? `; allowed is ${allowed}` : ''}`,
        ),
      ];
    }
    return [problem('config-type', `${isA(show, value)}; use ${allowed}`)];
  }
  const out: Explained[] = [];
  if (keywords.has('enum')) {
    const guess =
      d.noEcho || typeof value !== 'string' ? undefined : closest(value, (d.allowedValues ?? []).map(String));
    out.push(
      problem(
        'config-allowed-values',
        `${show} is not allowed${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; use ${allowed}`,
      ),
    );
  }
  if (keywords.has('pattern')) {
    const wanted =
      d.allowedPattern !== undefined
        ? `does not match ${anchoredPattern(d.allowedPattern)}`
        : `is not a comma-separated list of numbers`;
    out.push(
      problem('config-pattern', `${show} ${wanted}${d.constraintDescription ? `: ${d.constraintDescription}` : ''}`),
    );
  }
  if (keywords.has('minLength') || keywords.has('maxLength')) {
    out.push(problem('config-length', `${show} is ${String(value).length} characters long; use ${lengthText(d)}`));
  }
  return out.length > 0
    ? out
    : errors.map((e) => problem('config-invalid', `${show} ${e.message ?? 'is not valid'}; use ${allowed}`));
}

/** "[] is an array", but "is null" rather than "null is null". */
function isA(show: string, value: unknown): string {
  return value === null ? 'is null' : `${show} is ${describeType(value)}`;
}

function dedupe(problems: Explained[]): Explained[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.pointer}\u0000${p.rule}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
