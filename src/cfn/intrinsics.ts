import { IntrinsicFunction } from 'cloudform-types/types/dataTypes';
import type { Value } from 'cloudform-types/types/dataTypes';
import type { Condition } from './template';

export type { Value, List } from 'cloudform-types/types/dataTypes';

/**
 * A CloudFormation intrinsic function call such as `{ "Ref": "Bucket" }`.
 *
 * It extends cloudform's IntrinsicFunction so that it is accepted wherever a
 * typed property takes a `Value<T>`; `fn` and `arg` are kept here because the
 * base class hides its fields.
 */
export class Intrinsic extends IntrinsicFunction {
  constructor(
    /** The long-form name, e.g. `Ref` or `Fn::Sub`. */
    readonly fn: string,
    /** The argument, which may itself hold intrinsics. */
    readonly arg: unknown,
    /** Handles the argument names only by id (a `Sub` string, an `If` condition), kept to check their template. */
    readonly uses: readonly (Owned | Intrinsic)[] = [],
  ) {
    super(fn, arg);
  }

  override toJSON(): { [x: string]: unknown } {
    return { [this.fn]: toJSONValue(this.arg) };
  }
}

/** The template a handle was declared in, named by the module that builds it. */
export interface TemplateIdentity {
  readonly source: string;
}

/** Where a handle keeps its template, out of the way of any property name. */
export const OWNER: unique symbol = Symbol('owner');

/** A handle a template handed out: valid only in that template, which synth checks. */
export interface Owned {
  readonly logicalId: string;
  readonly [OWNER]: TemplateIdentity;
}

/** The template that declared `value`, if it is a handle. */
export function ownerOf(value: object): TemplateIdentity | undefined {
  return (value as Partial<Owned>)[OWNER];
}

/** A `Ref` to a logical id or pseudo parameter; a handle's own `Ref` knows its template. */
export class RefIntrinsic extends Intrinsic {
  readonly [OWNER]: TemplateIdentity | undefined;
  constructor(
    readonly target: string,
    owner?: TemplateIdentity,
  ) {
    super('Ref', target);
    this[OWNER] = owner;
  }
}

/** A `Fn::GetAtt` of a logical id's attribute. */
export class GetAttIntrinsic extends Intrinsic {
  readonly [OWNER]: TemplateIdentity | undefined;
  constructor(
    readonly target: string,
    readonly attribute: string,
    owner?: TemplateIdentity,
  ) {
    super('Fn::GetAtt', [target, attribute]);
    this[OWNER] = owner;
  }
}

/** Something a condition can be: a condition handle or a condition function. */
export type ConditionLike = Condition | ConditionIntrinsic;

/** A condition function (`Fn::Equals`, `Fn::And`, ...) usable in `Conditions`. */
export class ConditionIntrinsic extends Intrinsic {
  conditionJSON(): unknown {
    return this;
  }
}

/** Converts intrinsics (and anything with toJSON) inside a value to plain JSON. */
export function toJSONValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toJSONValue);
  const withToJSON = value as { toJSON?: () => unknown };
  if (typeof withToJSON.toJSON === 'function') return toJSONValue(withToJSON.toJSON());
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== undefined) out[key] = toJSONValue(item);
  }
  return out;
}

/** The pseudo parameters CloudFormation defines in every template. */
export const AWS = {
  AccountId: new RefIntrinsic('AWS::AccountId'),
  NotificationARNs: new RefIntrinsic('AWS::NotificationARNs'),
  NoValue: new RefIntrinsic('AWS::NoValue'),
  Partition: new RefIntrinsic('AWS::Partition'),
  Region: new RefIntrinsic('AWS::Region'),
  StackId: new RefIntrinsic('AWS::StackId'),
  StackName: new RefIntrinsic('AWS::StackName'),
  URLSuffix: new RefIntrinsic('AWS::URLSuffix'),
} as const;

export const PSEUDO_PARAMETERS: ReadonlySet<string> = new Set(Object.values(AWS).map((r) => r.target));

/** Anything that can be interpolated into `sub`. */
export type SubPart = string | number | IntrinsicFunction;

/**
 * `Fn::Sub` as a tagged template: references to handles and pseudo parameters
 * become `${Id}`, `${Id.Attr}` or `${AWS::Region}`; any other intrinsic becomes
 * a named variable; literal `${` in text is escaped as `${!`.
 *
 *     sub`arn:${AWS.Partition}:s3:::${bucket}/data/*`
 */
export function sub(strings: TemplateStringsArray, ...parts: SubPart[]): Intrinsic {
  let text = escapeSub(strings[0] ?? '');
  const variables: Record<string, unknown> = {};
  let counter = 0;
  const uses: Intrinsic[] = [];
  parts.forEach((part, index) => {
    if (part instanceof RefIntrinsic) {
      text += '${' + part.target + '}';
      uses.push(part);
    } else if (part instanceof GetAttIntrinsic) {
      text += '${' + part.target + '.' + part.attribute + '}';
      uses.push(part);
    } else if (part instanceof IntrinsicFunction) {
      const name = `Var${counter++}`;
      variables[name] = part;
      text += '${' + name + '}';
    } else {
      text += escapeSub(String(part));
    }
    text += escapeSub(strings[index + 1] ?? '');
  });
  return new Intrinsic('Fn::Sub', counter === 0 ? text : [text, variables], uses);
}

/** `Fn::Sub` with an explicit string and variable map, for long bodies such as SQL or user data. */
export function subWith(text: string, variables: Record<string, Value<string> | Value<number>> = {}): Intrinsic {
  return Object.keys(variables).length === 0
    ? new Intrinsic('Fn::Sub', text)
    : new Intrinsic('Fn::Sub', [text, variables]);
}

function escapeSub(text: string): string {
  return text.replace(/\$\{/g, '${!');
}

/** `Ref` by logical id string: prefer the handles a template returns. */
export function ref(logicalId: string): RefIntrinsic {
  return new RefIntrinsic(logicalId);
}

/** `Fn::GetAtt` by logical id string: prefer `handle.getAtt(...)`. */
export function getAtt(logicalId: string, attribute: string): GetAttIntrinsic {
  return new GetAttIntrinsic(logicalId, attribute);
}

export function join(delimiter: string, values: readonly unknown[] | Intrinsic): Intrinsic {
  return new Intrinsic('Fn::Join', [delimiter, values]);
}

/** `Fn::Split`: the pieces of `source` between each `delimiter`. */
export function split(delimiter: string, source: Value<string>): Intrinsic {
  return new Intrinsic('Fn::Split', [delimiter, source]);
}

export function select(index: number | Intrinsic, list: readonly unknown[] | Intrinsic): Intrinsic {
  return new Intrinsic('Fn::Select', [index, list]);
}

export function getAZs(region: Value<string> = ''): Intrinsic {
  return new Intrinsic('Fn::GetAZs', region);
}

export function base64(value: Value<string>): Intrinsic {
  return new Intrinsic('Fn::Base64', value);
}

/** `Fn::If`: `whenTrue` where the condition holds, else `whenFalse` (often `AWS.NoValue`). */
export function fnIf<T>(condition: Condition, whenTrue: T | Intrinsic, whenFalse: T | Intrinsic): Intrinsic {
  return new Intrinsic('Fn::If', [condition.logicalId, whenTrue, whenFalse], [condition]);
}

/** `Fn::Equals`, for conditions. */
export function equals(left: unknown, right: unknown): ConditionIntrinsic {
  return new ConditionIntrinsic('Fn::Equals', [left, right]);
}

/** `Fn::Not`, for conditions. */
export function not(condition: ConditionLike): ConditionIntrinsic {
  return new ConditionIntrinsic('Fn::Not', [condition.conditionJSON()], [condition]);
}

/** `Fn::And` (2 to 10 conditions). */
export function and(...conditions: ConditionLike[]): ConditionIntrinsic {
  return new ConditionIntrinsic(
    'Fn::And',
    conditions.map((c) => c.conditionJSON()),
    conditions,
  );
}

/** `Fn::Or` (2 to 10 conditions). */
export function or(...conditions: ConditionLike[]): ConditionIntrinsic {
  return new ConditionIntrinsic(
    'Fn::Or',
    conditions.map((c) => c.conditionJSON()),
    conditions,
  );
}

/** `!Not [!Equals [value, ""]]`: the original's "non-empty means enabled" test. */
export function notEmpty(value: Value<string>): ConditionIntrinsic {
  return not(equals(value, ''));
}
