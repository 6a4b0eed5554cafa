import { TemplateError } from '../errors';
import {
  GetAttIntrinsic,
  Intrinsic,
  OWNER,
  RefIntrinsic,
  ownerOf,
  toJSONValue,
  type ConditionIntrinsic,
  type Owned,
  type TemplateIdentity,
  type Value,
} from './intrinsics';
import { ASSETS_METADATA, Assets } from './assets';
import type { AttributeOf } from './resource-attributes';
import type { CfnResourceTypes } from './resource-types';
import type { FunctionProperties, Globals, SamResourceTypes } from './sam';
import { SAM_TRANSFORM } from './sam';
import { checkReferences } from './references';

/** Every resource type a template can declare, mapped to its properties. */
export type ResourceTypes = CfnResourceTypes & SamResourceTypes;
export type ResourceType = keyof ResourceTypes;

/** The CloudFormation parameter types the stacks use. */
export type ParameterType =
  'String' | 'Number' | 'List<Number>' | 'CommaDelimitedList' | `AWS::${string}` | `List<AWS::${string}>`;

/** One parameter, as declared in code. */
export interface ParameterDefinition {
  /** The CloudFormation parameter type. */
  readonly type: ParameterType;
  /** What the parameter is for; shown in the console and the config schema. */
  readonly description: string;
  /** The value used when none is given. @default none: the parameter is required */
  readonly default?: string | number;
  /** The only values allowed. @default any value */
  readonly allowedValues?: readonly (string | number)[];
  /** A regular expression the whole value must match. @default none */
  readonly allowedPattern?: string;
  /** What to show when a constraint is not met. @default none */
  readonly constraintDescription?: string;
  /** Smallest allowed number (Number parameters). @default none */
  readonly minValue?: number;
  /** Largest allowed number (Number parameters). @default none */
  readonly maxValue?: number;
  /**
   * Only whole numbers (Number parameters). CloudFormation cannot state this,
   * so it is not in the template; the config schema checks it. @default false
   */
  readonly integer?: boolean;
  /** Shortest allowed string. @default none */
  readonly minLength?: number;
  /** Longest allowed string. @default none */
  readonly maxLength?: number;
  /** Mask the value in the console and API answers. @default false */
  readonly noEcho?: boolean;
  /** Console label (AWS::CloudFormation::Interface). @default none */
  readonly label?: string;
  /** Console group the parameter is listed under (AWS::CloudFormation::Interface). @default none */
  readonly group?: string;
  /** Who supplies the value: the branch config file or the build. @default 'config' */
  readonly setBy?: 'config' | 'build';
}

/** Options of a resource beyond its properties. */
export interface ResourceOptions {
  /** Create the resource only where this condition holds. @default always */
  readonly condition?: Condition;
  /** Resources that must be created first, where no reference implies it. @default none */
  readonly dependsOn?: readonly Resource<ResourceType>[];
  /** What happens to the physical resource when it leaves the stack. @default CloudFormation's default */
  readonly deletionPolicy?: 'Delete' | 'Retain' | 'Snapshot' | 'RetainExceptOnCreate';
  /** What happens to the old physical resource on replacement. @default CloudFormation's default */
  readonly updateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot';
  /** Resource metadata. @default none */
  readonly metadata?: Record<string, unknown>;
  /** cfn-lint rules to skip for this resource, each with the reason why. @default none */
  readonly lintExceptions?: Readonly<Record<string, string>>;
  /** checkov checks to skip for this resource (e.g. `CKV_AWS_117`), each with the one-line reason why. @default none */
  readonly scanExceptions?: Readonly<Record<string, string>>;
}

/** One output. */
export interface OutputDefinition {
  /** The value. */
  readonly value: unknown;
  /** What the output is. @default none */
  readonly description?: string;
  /** Output only where this condition holds. @default always */
  readonly condition?: Condition;
  /** Export name for cross-stack references. @default not exported */
  readonly exportName?: Value<string>;
}

/** A declared parameter; it is also a `Ref` to itself. */
export class Parameter extends RefIntrinsic implements Owned {
  declare readonly [OWNER]: TemplateIdentity;
  constructor(
    readonly logicalId: string,
    readonly definition: ParameterDefinition,
    owner: TemplateIdentity,
  ) {
    super(logicalId, owner);
  }
}

/** A declared condition; usable in `fnIf`, `and`, `or`, `not` and as a resource condition. */
export class Condition implements Owned {
  /** Only a declared condition is one: not a parameter or resource that also has a logical id. */
  declare private readonly brand: 'Condition';
  readonly [OWNER]: TemplateIdentity;
  constructor(
    readonly logicalId: string,
    owner: TemplateIdentity,
  ) {
    this[OWNER] = owner;
  }
  conditionJSON(): unknown {
    return { Condition: this.logicalId };
  }
}

/** A declared mapping. */
export class Mapping implements Owned {
  readonly [OWNER]: TemplateIdentity;
  constructor(
    readonly logicalId: string,
    owner: TemplateIdentity,
  ) {
    this[OWNER] = owner;
  }
  /** `Fn::FindInMap` into this mapping. */
  find(top: Value<string>, second: Value<string>): Intrinsic {
    return new Intrinsic('Fn::FindInMap', [this.logicalId, top, second], [this]);
  }
}

/** A declared resource; it is also a `Ref` to itself. */
export class Resource<T extends ResourceType> extends RefIntrinsic implements Owned {
  declare readonly [OWNER]: TemplateIdentity;
  constructor(
    readonly logicalId: string,
    readonly type: T,
    readonly properties: ResourceTypes[T],
    readonly options: ResourceOptions,
    owner: TemplateIdentity,
  ) {
    super(logicalId, owner);
  }
  /** `Fn::GetAtt` of one of this resource type's attributes. */
  getAtt(attribute: AttributeOf<T>): GetAttIntrinsic {
    return new GetAttIntrinsic(this.logicalId, attribute, this[OWNER]);
  }
}

/** How a template is described. */
export interface TemplateOptions {
  /** The template's Description. */
  readonly description: string;
  /** Repository path of the module that builds it, named in the generated-file banner. */
  readonly source: string;
  /** Declare the SAM transform. @default false */
  readonly sam?: boolean;
  /** Repository-relative path of the generated file; a template that nests others needs it. @default none */
  readonly path?: string;
}

const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

/**
 * A CloudFormation template under construction. Everything it declares is
 * handed back as a typed handle, and references go through those handles;
 * `toJSON` checks that every reference, condition and dependency names
 * something the template declares.
 */
export class Template {
  readonly description: string;
  readonly source: string;
  readonly sam: boolean;
  readonly path: string | undefined;
  /** The local files the template points at, which it lists in its Metadata for packaging. */
  readonly assets: Assets = new Assets(this);
  private readonly parameters = new Map<string, Parameter>();
  private readonly conditions = new Map<string, ConditionIntrinsic | Condition>();
  private readonly mappings = new Map<string, Record<string, Record<string, unknown>>>();
  private readonly resources = new Map<string, Resource<ResourceType>>();
  private readonly outputs = new Map<string, OutputDefinition>();
  private globals: Globals | undefined;
  private boundary: Value<string> | undefined;
  private readonly ids = new Map<string, string>();

  constructor(options: TemplateOptions) {
    this.description = options.description;
    this.source = options.source;
    this.sam = options.sam ?? false;
    this.path = options.path;
  }

  /** Declares a parameter. */
  parameter(logicalId: string, definition: ParameterDefinition): Parameter {
    this.claim(logicalId, 'parameter');
    const parameter = new Parameter(logicalId, definition, this);
    this.parameters.set(logicalId, parameter);
    return parameter;
  }

  /** Declares a condition. */
  condition(logicalId: string, expression: ConditionIntrinsic | Condition): Condition {
    this.claim(logicalId, 'condition');
    this.conditions.set(logicalId, expression);
    return new Condition(logicalId, this);
  }

  /** Declares a mapping. */
  mapping(logicalId: string, values: Record<string, Record<string, unknown>>): Mapping {
    this.claim(logicalId, 'mapping');
    this.mappings.set(logicalId, values);
    return new Mapping(logicalId, this);
  }

  /** Declares a resource with typed properties. */
  resource<T extends ResourceType>(
    logicalId: string,
    type: T,
    properties: ResourceTypes[T],
    options: ResourceOptions = {},
  ): Resource<T> {
    this.claim(logicalId, 'resource');
    if (type.startsWith('AWS::Serverless::') && !this.sam) {
      throw new TemplateError(
        `${this.source}: resource ${logicalId} is ${type}, which needs the SAM transform (sam: true)`,
      );
    }
    const resource = new Resource(logicalId, type, properties, options, this);
    this.resources.set(logicalId, resource as unknown as Resource<ResourceType>);
    return resource;
  }

  /** Declares an output. */
  output(logicalId: string, definition: OutputDefinition): void {
    if (!LOGICAL_ID.test(logicalId))
      throw new TemplateError(`${this.source}: output id '${logicalId}' must be alphanumeric`);
    if (this.outputs.has(logicalId)) throw new TemplateError(`${this.source}: output ${logicalId} is declared twice`);
    this.outputs.set(logicalId, definition);
  }

  /** Sets the SAM Globals section. */
  setGlobals(globals: Globals): void {
    if (!this.sam) throw new TemplateError(`${this.source}: Globals need the SAM transform (sam: true)`);
    this.globals = globals;
  }

  /**
   * Sets the permissions boundary of every role the template creates, as the
   * CDK's `PermissionsBoundary.of(stack).apply()` does: each AWS::IAM::Role, and
   * each SAM function whose role SAM generates (one without `Role`), gets
   * `PermissionsBoundary`. A role that states its own keeps it.
   */
  setPermissionsBoundary(boundary: Value<string>): void {
    if (this.boundary !== undefined) throw new TemplateError(`${this.source}: the permissions boundary is set twice`);
    this.boundary = boundary;
  }

  /** The declared parameters, in declaration order. */
  parameterList(): readonly Parameter[] {
    return [...this.parameters.values()];
  }

  /** The template as CloudFormation JSON, in the canonical section order, with every reference checked. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      AWSTemplateFormatVersion: '2010-09-09',
      Description: this.description,
    };
    const metadata = this.metadataJSON();
    if (metadata) out.Metadata = metadata;
    if (this.parameters.size > 0) out.Parameters = mapValues(this.parameters, (p) => parameterJSON(p.definition));
    if (this.mappings.size > 0) out.Mappings = toJSONValue(Object.fromEntries(this.mappings));
    if (this.conditions.size > 0) {
      out.Conditions = mapValues(this.conditions, (c) => toJSONValue(c instanceof Condition ? c.conditionJSON() : c));
    }
    if (this.sam) out.Transform = SAM_TRANSFORM;
    if (this.globals) out.Globals = toJSONValue(this.globals);
    out.Resources = mapValues(this.resources, (r) => resourceJSON(r, this.boundary));
    if (this.outputs.size > 0) out.Outputs = mapValues(this.outputs, outputJSON);
    if (this.boundary !== undefined) this.checkCodeDeployRole();
    this.checkOwnership();
    checkReferences(out, this.source);
    return out;
  }

  /**
   * Fails on a SAM function deployed through CodeDeploy without a role for it:
   * SAM would generate CodeDeployServiceRole, which no property gives a boundary.
   */
  private checkCodeDeployRole(): void {
    const global = this.globals?.Function?.DeploymentPreference;
    for (const r of this.resources.values()) {
      if (r.type !== 'AWS::Serverless::Function') continue;
      const own = (r.properties as FunctionProperties).DeploymentPreference;
      const preference = own ?? global;
      if (preference && (own?.Role ?? global?.Role) === undefined)
        throw new TemplateError(
          `${this.source}: function ${r.logicalId} deploys through CodeDeploy without DeploymentPreference.Role, so SAM would create a role without the permissions boundary; give it a role of the template's own`,
        );
    }
  }

  /** Fails on a handle another template declared: its id would name whatever this template has under it. */
  private checkOwnership(): void {
    const problems: string[] = [];
    const visit = (value: unknown, path: string): void => {
      if (value === null || typeof value !== 'object') return;
      const owner = ownerOf(value);
      if (owner && owner !== this) {
        problems.push(`${path}: ${(value as Owned).logicalId} is declared by ${owner.source}, not by this template`);
        return;
      }
      if (value instanceof Intrinsic) {
        visit(value.arg, path);
        value.uses.forEach((used) => visit(used, path));
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => visit(item, `${path}[${i}]`));
      } else if (Object.getPrototypeOf(value) === Object.prototype) {
        for (const [key, item] of Object.entries(value)) visit(item, `${path}.${key}`);
      }
    };
    for (const [id, expression] of this.conditions) visit(expression, `Conditions.${id}`);
    for (const [id, values] of this.mappings) visit(values, `Mappings.${id}`);
    for (const [id, r] of this.resources) {
      visit(r.options.condition, `Resources.${id}.Condition`);
      r.options.dependsOn?.forEach((d, i) => visit(d, `Resources.${id}.DependsOn[${i}]`));
      visit(r.options.metadata, `Resources.${id}.Metadata`);
      visit(r.properties, `Resources.${id}.Properties`);
    }
    visit(this.boundary, 'PermissionsBoundary');
    for (const [id, o] of this.outputs) {
      visit(o.condition, `Outputs.${id}.Condition`);
      visit(o.value, `Outputs.${id}.Value`);
      visit(o.exportName, `Outputs.${id}.Export`);
    }
    visit(this.globals, 'Globals');
    if (problems.length > 0) {
      throw new TemplateError(
        `${this.source}: the template uses ${problems.length === 1 ? 'a handle' : `${problems.length} handles`} of another template:\n` +
          problems.map((p) => `  ${p}`).join('\n'),
        'TEMPLATE_FOREIGN_HANDLE',
      );
    }
  }

  private metadataJSON(): Record<string, unknown> | undefined {
    const metadata: Record<string, unknown> = {};
    const groups = new Map<string, string[]>();
    const labels: Record<string, { default: string }> = {};
    for (const p of this.parameters.values()) {
      const { group, label } = p.definition;
      if (group) groups.set(group, [...(groups.get(group) ?? []), p.logicalId]);
      if (label) labels[p.logicalId] = { default: label };
    }
    if (groups.size > 0 || Object.keys(labels).length > 0) {
      const iface: Record<string, unknown> = {};
      if (groups.size > 0) {
        iface.ParameterGroups = [...groups].map(([label, parameters]) => ({
          Label: { default: label },
          Parameters: parameters,
        }));
      }
      if (Object.keys(labels).length > 0) iface.ParameterLabels = labels;
      metadata['AWS::CloudFormation::Interface'] = iface;
    }
    const assets = this.assets.list();
    if (assets) metadata[ASSETS_METADATA] = assets;
    return Object.keys(metadata).length > 0 ? metadata : undefined;
  }

  private claim(logicalId: string, kind: string): void {
    if (!LOGICAL_ID.test(logicalId)) {
      throw new TemplateError(`${this.source}: ${kind} id '${logicalId}' must be 1-255 letters and digits`);
    }
    const existing = this.ids.get(logicalId);
    if (existing) {
      throw new TemplateError(`${this.source}: ${kind} ${logicalId} clashes with the ${existing} of the same id`);
    }
    this.ids.set(logicalId, kind);
  }
}

function mapValues<V>(map: Map<string, V>, fn: (value: V) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of map) out[key] = fn(value);
  return out;
}

function parameterJSON(d: ParameterDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = { Type: d.type, Description: d.description };
  if (d.default !== undefined) out.Default = d.default;
  if (d.allowedValues) out.AllowedValues = [...d.allowedValues];
  if (d.allowedPattern !== undefined) out.AllowedPattern = d.allowedPattern;
  if (d.constraintDescription !== undefined) out.ConstraintDescription = d.constraintDescription;
  if (d.minValue !== undefined) out.MinValue = d.minValue;
  if (d.maxValue !== undefined) out.MaxValue = d.maxValue;
  if (d.minLength !== undefined) out.MinLength = d.minLength;
  if (d.maxLength !== undefined) out.MaxLength = d.maxLength;
  if (d.noEcho) out.NoEcho = true;
  return out;
}

/** True for a resource whose role the permissions boundary applies to: a role, or a SAM function SAM makes a role for. */
function createsRole(resource: Resource<ResourceType>): boolean {
  const properties = resource.properties as Record<string, unknown>;
  if (properties.PermissionsBoundary !== undefined) return false;
  return (
    resource.type === 'AWS::IAM::Role' ||
    (resource.type === 'AWS::Serverless::Function' && properties.Role === undefined)
  );
}

function resourceJSON(resource: Resource<ResourceType>, boundary: Value<string> | undefined): Record<string, unknown> {
  const { options } = resource;
  const out: Record<string, unknown> = { Type: resource.type };
  if (options.condition) out.Condition = options.condition.logicalId;
  if (options.dependsOn && options.dependsOn.length > 0) {
    const ids = options.dependsOn.map((d) => d.logicalId);
    out.DependsOn = ids.length === 1 ? ids[0] : ids;
  }
  if (options.deletionPolicy) out.DeletionPolicy = options.deletionPolicy;
  if (options.updateReplacePolicy) out.UpdateReplacePolicy = options.updateReplacePolicy;
  const metadata: Record<string, unknown> = { ...(options.metadata ?? {}) };
  if (options.lintExceptions && Object.keys(options.lintExceptions).length > 0) {
    for (const [rule, reason] of Object.entries(options.lintExceptions)) {
      if (!reason.trim())
        throw new TemplateError(`resource ${resource.logicalId}: lint exception ${rule} needs a reason`);
    }
    metadata['cfn-lint'] = { config: { ignore_checks: Object.keys(options.lintExceptions).sort() } };
  }
  const skips = Object.entries(options.scanExceptions ?? {}).sort(([a], [b]) => a.localeCompare(b));
  for (const [check, reason] of skips) {
    if (!/^CKV2?_AWS_\d+$/.test(check))
      throw new TemplateError(
        `resource ${resource.logicalId}: scan exception '${check}' is not a checkov check id such as CKV_AWS_117`,
      );
    if (!reason.trim())
      throw new TemplateError(`resource ${resource.logicalId}: scan exception ${check} needs a reason`);
  }
  // checkov reads its per-resource skips from Metadata.checkov.skip.
  if (skips.length > 0) metadata.checkov = { skip: skips.map(([id, comment]) => ({ id, comment })) };
  if (Object.keys(metadata).length > 0) out.Metadata = toJSONValue(metadata);
  const declared =
    boundary !== undefined && createsRole(resource)
      ? { ...(resource.properties as object), PermissionsBoundary: boundary }
      : resource.properties;
  const properties = toJSONValue(declared) as Record<string, unknown> | undefined;
  if (properties && Object.keys(properties).length > 0) out.Properties = properties;
  return out;
}

function outputJSON(d: OutputDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (d.description !== undefined) out.Description = d.description;
  if (d.condition) out.Condition = d.condition.logicalId;
  out.Value = toJSONValue(d.value);
  if (d.exportName !== undefined) out.Export = { Name: toJSONValue(d.exportName) };
  return out;
}
