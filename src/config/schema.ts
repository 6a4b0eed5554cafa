// The JSON Schema of config/<branch>.json, derived from the root template's
// typed parameter declarations: the same object drives editor completion
// (through "$schema": "./schema.json") and `dataless validate`.
import type { Parameter, ParameterDefinition, Template } from '../cfn/template';
import type { GeneratedFile } from '../synth';

/** Repository-relative path of the generated schema. */
export const SCHEMA_PATH = 'config/schema.json';

/** The JSON Schema dialect: draft-07, which ajv's default class and common editors both understand. */
export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/** The keys a config file may have at its top level. */
export const TOP_LEVEL_KEYS = ['$schema', 'Parameters'] as const;

/** A numeric string, as CloudFormation accepts for a Number parameter. */
export const NUMERIC_STRING = '^[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?$';

/** A numeric string of a whole number, for Number parameters declared `integer`. */
const INTEGER_STRING = '^[+-]?[0-9]+$';

/** A comma-separated list of numbers (List<Number> parameters). */
const NUMBER_LIST = '^\\s*[+-]?[0-9.eE+-]+(?:\\s*,\\s*[+-]?[0-9.eE+-]+)*\\s*$';

/** A JSON Schema object; key order is the order of construction, so output is stable. */
export type JsonSchema = { [key: string]: unknown };

/** True for parameters a branch config file may set. */
export function isConfigParameter(p: Parameter): boolean {
  return (p.definition.setBy ?? 'config') === 'config';
}

/** True for parameters the build fills in. */
export function isBuildParameter(p: Parameter): boolean {
  return p.definition.setBy === 'build';
}

/** True for parameters CloudFormation treats as numbers. */
export function isNumberParameter(d: ParameterDefinition): boolean {
  return d.type === 'Number';
}

/**
 * CloudFormation matches AllowedPattern against the whole value; a JSON
 * Schema pattern matches anywhere, so it is anchored here unless it already is.
 */
export function anchoredPattern(pattern: string): string {
  const anchored =
    pattern.startsWith('^') && pattern.endsWith('$') && !pattern.endsWith('\\$') && !hasTopLevelAlternation(pattern);
  return anchored ? pattern : `^(?:${pattern})$`;
}

/** True when `|` splits the whole pattern (outside groups and classes), as in `^a$|^b$`. */
function hasTopLevelAlternation(pattern: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/** The schema of one parameter a config file may set. */
function parameterSchema(d: ParameterDefinition): JsonSchema {
  const out: JsonSchema = {};
  if (d.label) out.title = d.label;
  out.description = d.description;
  if (isNumberParameter(d)) {
    const number: JsonSchema = { type: d.integer ? 'integer' : 'number' };
    if (d.allowedValues) number.enum = d.allowedValues.map(Number);
    if (d.minValue !== undefined) number.minimum = d.minValue;
    if (d.maxValue !== undefined) number.maximum = d.maxValue;
    // The string form carries no range: validation turns numeric strings into numbers first.
    out.anyOf = [number, { type: 'string', pattern: d.integer ? INTEGER_STRING : NUMERIC_STRING }];
  } else {
    out.type = 'string';
    if (d.allowedValues) out.enum = d.allowedValues.map(String);
    if (d.allowedPattern !== undefined) out.pattern = anchoredPattern(d.allowedPattern);
    else if (d.type === 'List<Number>') out.pattern = NUMBER_LIST;
    if (d.minLength !== undefined) out.minLength = d.minLength;
    if (d.maxLength !== undefined) out.maxLength = d.maxLength;
  }
  if (d.default !== undefined) out.default = isNumberParameter(d) ? Number(d.default) : String(d.default);
  return out;
}

/** The schema entry of a parameter the build fills in: any value is refused, and the description says why. */
function buildParameterSchema(d: ParameterDefinition): JsonSchema {
  return { description: `Leave this out: the build fills it in. ${d.description}`, not: {} };
}

/** The schema of config/<branch>.json for a template's parameters. Pure. */
export function configSchema(template: Template): JsonSchema {
  const parameters = template.parameterList();
  const properties: JsonSchema = {};
  const required: string[] = [];
  for (const p of parameters) {
    properties[p.logicalId] = isBuildParameter(p) ? buildParameterSchema(p.definition) : parameterSchema(p.definition);
    if (isConfigParameter(p) && p.definition.default === undefined) required.push(p.logicalId);
  }
  const parametersSchema: JsonSchema = {
    description: 'Values of the application stack parameters for this branch; a parameter left out takes its default.',
    type: 'object',
    properties,
  };
  if (required.length > 0) parametersSchema.required = required;
  parametersSchema.additionalProperties = false;
  return {
    $schema: SCHEMA_DIALECT,
    $comment: `Generated by \`dataless synth\` from the parameters declared in ${template.source}. Do not edit by hand.`,
    title: 'Dataless branch configuration',
    description: 'config/<branch>.json: the parameters the application stack is deployed with for one branch.',
    type: 'object',
    properties: {
      $schema: { description: 'The schema editors check this file against, relative to the file.', type: 'string' },
      Parameters: parametersSchema,
    },
    required: ['Parameters'],
    additionalProperties: false,
  };
}

/** The schema as the committed file's bytes: two-space indentation and a final newline. */
export function renderSchema(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

/**
 * The generated files of this module, for `dataless synth`: the schema of the
 * root template's parameters. Loads the root stack only when called.
 */
export function schemaFiles(): GeneratedFile[] {
  const { ROOT_STACK } = require('../stacks') as typeof import('../stacks');
  return [{ path: SCHEMA_PATH, content: renderSchema(configSchema(ROOT_STACK.build())) }];
}
