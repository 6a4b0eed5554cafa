// Decides, without deploying, which resources a set of parameter values would
// create: a small evaluator of CloudFormation conditions (Fn::Equals, Fn::Not,
// Fn::And, Fn::Or, Condition) and of the values they compare (Ref to a
// parameter, Fn::If, literals), and a walk from a root template into the local
// templates it nests, each nested stack taking the parameters its parent
// passes and the defaults of the rest.
//
// Values only a deployment knows (a resource's id, an attribute, a pseudo
// parameter) are Opaque. A condition that would need to know one fails with
// an error naming it, except for the one comparison whose answer is certain:
// a resource's id and a pseudo parameter are never the empty string.
import { dirname, join, normalize } from 'node:path';
import { TemplateAssertions } from './template';

type Json = Record<string, any>;

/** A value known only once deployed. */
export class Opaque {
  constructor(
    /** What it is, for messages: `Ref Subnet`, `GetAtt Bucket.Arn`. */
    readonly what: string,
    /** True when it can never be the empty string. */
    readonly nonEmpty: boolean,
  ) {}
  toString(): string {
    return `<${this.what}>`;
  }
}

/** `Ref AWS::NoValue`: the property, or the nested stack parameter, is left out. */
export const NO_VALUE = Symbol('AWS::NoValue');

export type Resolved = string | readonly Resolved[] | Opaque | typeof NO_VALUE;

/** One template with the parameter values it is evaluated under. */
export interface StackContext {
  /** Repository-relative path, for messages. */
  readonly path: string;
  readonly template: Json;
  /** Every declared parameter's value: given, else its default. */
  readonly parameters: Readonly<Record<string, Resolved>>;
}

const section = (template: Json, name: string): Json => (template[name] ?? {}) as Json;

function literal(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/**
 * The value of every parameter `template` declares, from `given` where given
 * and from its Default otherwise; refuses what CloudFormation would refuse
 * (an undeclared name, a value outside AllowedValues, a required parameter
 * left out).
 */
export function effectiveParameters(
  path: string,
  template: Json,
  given: Readonly<Record<string, Resolved>>,
): Record<string, Resolved> {
  const declared = section(template, 'Parameters');
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new Error(`${path}: parameter ${name} is passed but not declared`);
  }
  const values: Record<string, Resolved> = {};
  for (const [name, definition] of Object.entries(declared) as [string, Json][]) {
    const passed = given[name];
    let value: Resolved;
    if (passed !== undefined && passed !== NO_VALUE) value = passed;
    else if (definition.Default !== undefined) value = literal(definition.Default);
    else throw new Error(`${path}: parameter ${name} has no value and no default`);
    const allowed = definition.AllowedValues as unknown[] | undefined;
    if (allowed && typeof value === 'string' && !allowed.map(literal).includes(value)) {
      throw new Error(
        `${path}: parameter ${name} is ${JSON.stringify(value)}, not one of ${allowed.map(literal).join(', ')}`,
      );
    }
    values[name] = value;
  }
  return values;
}

/** A context for a template and the values given to its parameters. */
export function stackContext(
  path: string,
  template: Json,
  given: Readonly<Record<string, Resolved>> = {},
): StackContext {
  return { path, template, parameters: effectiveParameters(path, template, given) };
}

/** The value of an expression: a literal, a Ref, an Fn::If, or an Opaque for anything decided at deploy time. */
export function resolve(expression: unknown, ctx: StackContext): Resolved {
  if (typeof expression === 'string' || typeof expression === 'number' || typeof expression === 'boolean')
    return literal(expression);
  if (Array.isArray(expression)) return expression.map((item) => resolve(item, ctx));
  if (expression === null || typeof expression !== 'object') {
    throw new Error(`${ctx.path}: cannot resolve ${JSON.stringify(expression)}`);
  }
  const [fn, args] = only(expression as Json, ctx);
  switch (fn) {
    case 'Ref': {
      const name = args as string;
      if (name === 'AWS::NoValue') return NO_VALUE;
      if (name.startsWith('AWS::')) return new Opaque(`Ref ${name}`, true);
      if (name in ctx.parameters) return ctx.parameters[name]!;
      if (name in section(ctx.template, 'Resources')) return new Opaque(`Ref ${name}`, true);
      throw new Error(`${ctx.path}: Ref to ${name}, which is neither a parameter nor a resource`);
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = args as [string, unknown, unknown];
      return resolve(isConditionTrue(condition, ctx) ? whenTrue : whenFalse, ctx);
    }
    case 'Fn::Sub':
      if (typeof args === 'string' && !/\$\{(?!!)/.test(args)) return args.replace(/\$\{!/g, '${');
      return new Opaque(`Sub ${JSON.stringify(args).slice(0, 60)}`, false);
    case 'Fn::GetAtt':
      return new Opaque(`GetAtt ${[args].flat().join('.')}`, false);
    default:
      return new Opaque(`${fn} ${JSON.stringify(args).slice(0, 60)}`, false);
  }
}

function only(expression: Json, ctx: StackContext): [string, unknown] {
  const keys = Object.keys(expression);
  if (keys.length !== 1) throw new Error(`${ctx.path}: ${JSON.stringify(expression)} is not an intrinsic function`);
  return [keys[0]!, expression[keys[0]!]];
}

const cache = new WeakMap<StackContext, Map<string, boolean>>();

/** Whether the named condition of the context's template holds. */
export function isConditionTrue(name: string, ctx: StackContext): boolean {
  return named(name, ctx, []);
}

function named(name: string, ctx: StackContext, path: readonly string[]): boolean {
  if (path.includes(name)) throw new Error(`${ctx.path}: condition ${[...path, name].join(' -> ')} refers to itself`);
  let known = cache.get(ctx);
  if (!known) cache.set(ctx, (known = new Map()));
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  const definition = section(ctx.template, 'Conditions')[name];
  if (definition === undefined) throw new Error(`${ctx.path}: no condition ${name}`);
  const value = evaluate(definition, ctx, [...path, name]);
  known.set(name, value);
  return value;
}

/** Every condition of the context's template, by name. */
export function conditionValues(ctx: StackContext): Record<string, boolean> {
  return Object.fromEntries(
    Object.keys(section(ctx.template, 'Conditions')).map((name) => [name, isConditionTrue(name, ctx)]),
  );
}

function evaluate(expression: unknown, ctx: StackContext, path: readonly string[]): boolean {
  if (expression === null || typeof expression !== 'object' || Array.isArray(expression)) {
    throw new Error(`${ctx.path}: condition ${path.at(-1)}: ${JSON.stringify(expression)} is not a condition function`);
  }
  const [fn, args] = only(expression as Json, ctx);
  const list = (): unknown[] => {
    if (!Array.isArray(args)) throw new Error(`${ctx.path}: condition ${path.at(-1)}: ${fn} takes a list`);
    return args;
  };
  switch (fn) {
    case 'Condition':
      return named(args as string, ctx, path);
    case 'Fn::Not':
      return !evaluate(list()[0], ctx, path);
    case 'Fn::And':
      return list().every((item) => evaluate(item, ctx, path));
    case 'Fn::Or':
      return list().some((item) => evaluate(item, ctx, path));
    case 'Fn::Equals': {
      const [left, right] = list().map((item) => resolve(item, ctx));
      return equal(left!, right!, ctx, path);
    }
    default:
      throw new Error(`${ctx.path}: condition ${path.at(-1)}: ${fn} is not a condition function`);
  }
}

function equal(left: Resolved, right: Resolved, ctx: StackContext, path: readonly string[]): boolean {
  if (typeof left === 'string' && typeof right === 'string') return left === right;
  const opaque = left instanceof Opaque ? left : right instanceof Opaque ? right : undefined;
  const other = opaque === left ? right : left;
  if (opaque && opaque.nonEmpty && other === '') return false;
  throw new Error(
    `${ctx.path}: condition ${path.at(-1)} compares ${String(left)} with ${String(right)}, which only a deployment can decide`,
  );
}

/** One resource of a walked stack. */
export interface WalkedResource {
  readonly id: string;
  readonly type: string;
  /** Whether the values would create it: its stack is created and its condition, if any, holds. */
  readonly created: boolean;
  readonly definition: Json;
}

/** One template reached by the walk. */
export interface WalkedStack extends StackContext {
  /** Whether the stack itself would be created. */
  readonly created: boolean;
  readonly conditions: Readonly<Record<string, boolean>>;
  readonly resources: readonly WalkedResource[];
}

const NESTING_TYPES: Record<string, string> = {
  'AWS::Serverless::Application': 'Location',
  'AWS::CloudFormation::Stack': 'TemplateURL',
};

/**
 * Walks `root` (repository-relative) and every local template it nests, in
 * depth-first order, under the given root parameter values.
 */
export function walkStacks(
  root: string,
  given: Readonly<Record<string, Resolved>> = {},
  load: (path: string) => Json = (path) => TemplateAssertions.load(path).json,
): WalkedStack[] {
  const stacks: WalkedStack[] = [];
  const visit = (path: string, values: Readonly<Record<string, Resolved>>, created: boolean): void => {
    const template = load(path);
    const ctx = stackContext(path, template, values);
    const conditions = conditionValues(ctx);
    const resources = Object.entries(section(template, 'Resources') as Record<string, Json>).map(([id, definition]) => {
      const condition = definition.Condition as string | undefined;
      return {
        id,
        type: definition.Type as string,
        created: created && (condition === undefined || conditions[condition] === true),
        definition,
      };
    });
    stacks.push({ ...ctx, created, conditions, resources });
    for (const resource of resources) {
      const key = NESTING_TYPES[resource.type];
      const location = key ? resource.definition.Properties?.[key] : undefined;
      if (typeof location !== 'string' || /^[a-z0-9]+:\/\//i.test(location)) continue;
      const passed: Record<string, Resolved> = {};
      for (const [name, expression] of Object.entries((resource.definition.Properties?.Parameters ?? {}) as Json)) {
        const value = resolve(expression, ctx);
        if (value !== NO_VALUE) passed[name] = value;
      }
      visit(normalize(join(dirname(path), location)), passed, resource.created);
    }
  };
  visit(root, given, true);
  return stacks;
}
