// A typed builder for AWS Data Pipeline objects. A pipeline definition is a
// flat list of objects whose fields are key/value pairs, where a value is
// either a string or the id of another object. Written out by hand that list is
// easy to get wrong (a misspelt RefValue only fails at activation time), so
// objects are declared here as records and refer to each other through the
// handles this module returns.
import { AWS, Intrinsic, fnIf, toJSONValue, type Value } from '../../../../cfn/intrinsics';
import type { CfnResourceTypes } from '../../../../cfn/resource-types';
import type { Condition } from '../../../../cfn/template';
import { TemplateError } from '../../../../errors';

type PipelineProperties = CfnResourceTypes['AWS::DataPipeline::Pipeline'];

/** The Data Pipeline object types this project uses, spelt as the service spells them. */
export type PipelineObjectType =
  | 'Schedule'
  | 'Default'
  | 'Ec2Resource'
  | 'EmrCluster'
  | 'EmrConfiguration'
  | 'Property'
  | 'HiveActivity'
  | 'SqlActivity'
  | 'RedshiftCopyActivity'
  | 'CSV'
  | 'DynamoDBDataFormat'
  | 'S3DataNode'
  | 'DynamoDBDataNode'
  | 'RedshiftDataNode'
  | 'RedshiftDatabase'
  | 'DynamoDBTableExists'
  | 'ShellScriptConfig'
  | 'SnsAlarm';

/** A field value written as `StringValue`; numbers and booleans are written in their string form. */
export type Scalar = string | number | boolean | Value<string>;

/** A field that exists only where a condition holds (or, with `holds: false`, where it does not). */
export class ConditionalField<V extends Scalar | PipelineObject = Scalar | PipelineObject> {
  constructor(
    readonly condition: Condition,
    readonly holds: boolean,
    readonly value: V,
  ) {}
}

/** One value of a field: a string, a reference to another object, or either of those under a condition. */
export type FieldValue = Scalar | PipelineObject | ConditionalField;

/** One value of a reference field: another object, possibly under a condition. */
export type ReferenceValue = PipelineObject | ConditionalField<PipelineObject>;

/**
 * Fields whose value is always another object in Data Pipeline's object
 * model; a string there (an id typed by hand) does not compile, and fails at
 * synth time when it gets through anyway.
 */
export const REFERENCE_KEYS = [
  'configuration',
  'database',
  'dataFormat',
  'dependsOn',
  'input',
  'onFail',
  'onLateAction',
  'onSuccess',
  'output',
  'parent',
  'postActivityTaskConfig',
  'preActivityTaskConfig',
  'precondition',
  'property',
  'runsOn',
  'schedule',
] as const;
export type ReferenceKey = (typeof REFERENCE_KEYS)[number];
const REFERENCE_KEY_SET: ReadonlySet<string> = new Set(REFERENCE_KEYS);

/** An object's fields by key; an array repeats the key once per element, in order. */
export type Fields = { readonly type: PipelineObjectType } & {
  readonly [K in ReferenceKey]?: ReferenceValue | readonly ReferenceValue[];
} & Readonly<Record<string, FieldValue | readonly FieldValue[]>>;

/** When an object is part of the pipeline. */
export type Presence = { readonly onlyIf: Condition } | { readonly onlyUnless: Condition };

/**
 * A declared pipeline object. Pass it as a field value to refer to it
 * (`RefValue`); the assembled pipeline must contain every object referred to.
 */
export class PipelineObject {
  constructor(
    readonly id: string,
    readonly name: string,
    readonly fields: Fields,
    readonly presence: Presence | undefined,
  ) {}

  /** The objects this one refers to, in field order. */
  references(): PipelineObject[] {
    const out: PipelineObject[] = [];
    for (const value of Object.values(this.fields).flat()) {
      const target = value instanceof ConditionalField ? value.value : value;
      if (target instanceof PipelineObject) out.push(target);
    }
    return out;
  }
}

/** `Field` of the CloudFormation resource: a key with a string or a reference. */
export interface FieldJSON {
  readonly Key: string;
  readonly StringValue?: Value<string>;
  readonly RefValue?: string;
}

// Limits from the Data Pipeline API reference.
const MAX_ID = 1024;
const MAX_KEY = 256;
const MAX_STRING_VALUE = 10240;

/** Declares a pipeline object; `presence` makes it conditional, as `Fn::If` around the object. */
export function pipelineObject(id: string, name: string, fields: Fields, presence?: Presence): PipelineObject {
  if (id.length === 0 || id.length > MAX_ID) {
    throw new TemplateError(`pipeline object id '${id}' must be 1-${MAX_ID} characters`);
  }
  if (name.length === 0 || name.length > MAX_ID) {
    throw new TemplateError(`pipeline object ${id}: name '${name}' must be 1-${MAX_ID} characters`);
  }
  for (const [key, value] of Object.entries(fields)) {
    if (key.length === 0 || key.length > MAX_KEY) {
      throw new TemplateError(`pipeline object ${id}: field key '${key}' must be 1-${MAX_KEY} characters`);
    }
    if (Array.isArray(value) && value.length === 0) {
      throw new TemplateError(
        `pipeline object ${id}: field ${key} is an empty list; give at least one value or leave the key out`,
      );
    }
  }
  return new PipelineObject(id, name, fields, presence);
}

/** A field value present only where `condition` holds. */
export function onlyIf<V extends Scalar | PipelineObject>(condition: Condition, value: V): ConditionalField<V> {
  return new ConditionalField(condition, true, value);
}

/** A field value present only where `condition` does not hold. */
export function onlyUnless<V extends Scalar | PipelineObject>(condition: Condition, value: V): ConditionalField<V> {
  return new ConditionalField(condition, false, value);
}

/** The CloudFormation form of one field value under a key. */
export function encodeField(objectId: string, key: string, value: FieldValue): FieldJSON | Intrinsic {
  if (value instanceof ConditionalField) {
    const field = encodeField(objectId, key, value.value);
    return value.holds
      ? fnIf<typeof field>(value.condition, field, AWS.NoValue)
      : fnIf<typeof field>(value.condition, AWS.NoValue, field);
  }
  if (value instanceof PipelineObject) return { Key: key, RefValue: value.id };
  if (REFERENCE_KEY_SET.has(key)) {
    throw new TemplateError(
      `pipeline object ${objectId}: field ${key} refers to another object; pass that object's handle, not ${JSON.stringify(toJSONValue(value))}`,
    );
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TemplateError(`pipeline object ${objectId}: field ${key} is ${value}; give a finite number`);
    return { Key: key, StringValue: String(value) };
  }
  if (typeof value === 'boolean') return { Key: key, StringValue: String(value) };
  if (typeof value === 'string') {
    if (value.length > MAX_STRING_VALUE) {
      throw new TemplateError(
        `pipeline object ${objectId}: field ${key} is ${value.length} characters long; the limit is ${MAX_STRING_VALUE}`,
      );
    }
    return { Key: key, StringValue: value };
  }
  if (value instanceof Intrinsic) return { Key: key, StringValue: value };
  throw new TemplateError(
    `pipeline object ${objectId}: field ${key} has a value of type ${typeof value}; give a string, number, boolean, intrinsic or pipeline object`,
  );
}

/** The fields of an object in CloudFormation form, repeated keys expanded in order. */
export function encodeFields(object: PipelineObject): (FieldJSON | Intrinsic)[] {
  const out: (FieldJSON | Intrinsic)[] = [];
  for (const [key, value] of Object.entries(object.fields)) {
    const values: readonly FieldValue[] = Array.isArray(value) ? value : [value as FieldValue];
    for (const item of values) out.push(encodeField(object.id, key, item));
  }
  return out;
}

/**
 * The `PipelineObjects` property for these objects, in order: conditional
 * objects wrapped in `Fn::If` with `AWS::NoValue`. Fails when two objects
 * share an id or an object refers to one that is not in the list.
 */
export function pipelineObjects(
  objects: readonly PipelineObject[],
): NonNullable<PipelineProperties['PipelineObjects']> {
  const byId = new Map<string, PipelineObject>();
  for (const object of objects) {
    if (byId.has(object.id))
      throw new TemplateError(`pipeline object id ${object.id} is used twice; give each object its own id`);
    byId.set(object.id, object);
  }
  for (const object of objects) {
    for (const target of object.references()) {
      if (byId.get(target.id) !== target) {
        throw new TemplateError(
          `pipeline object ${object.id} refers to ${target.id}, which is not in the pipeline; add it to the object list`,
        );
      }
    }
  }
  const out = objects.map((object) => {
    const json = { Id: object.id, Name: object.name, Fields: encodeFields(object) };
    if (!object.presence) return json;
    return 'onlyIf' in object.presence
      ? fnIf<typeof json>(object.presence.onlyIf, json, AWS.NoValue)
      : fnIf<typeof json>(object.presence.onlyUnless, AWS.NoValue, json);
  });
  // CloudFormation accepts Fn::If as a list element (and AWS::NoValue drops it);
  // cloudform-types has no way to say so, hence the one cast here.
  return out as unknown as NonNullable<PipelineProperties['PipelineObjects']>;
}
