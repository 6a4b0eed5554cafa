// The generated templates, evaluated as CloudFormation would evaluate them for
// one local deployment: parameters (given, else their defaults), conditions,
// Ref/GetAtt/Sub/If/Join/Select/Split, pseudo parameters, nested stacks
// (`Location`/`TemplateURL` of a local file) and their outputs. Every name
// the local run uses is read through here, so a change in a stack module,
// once synthesized, changes what the local run does.
//
// Physical names follow CloudFormation's rule: an explicit name property wins,
// otherwise the name is generated from the stack and the logical id (fixed
// here, where CloudFormation adds a random suffix).
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { TemplateError } from '../../errors';
import { parseTemplate } from '../../cfn/yaml';
import { at, isJson, objectAt, textAt, type Json } from '../json';

/** Where the local deployment "is": the pseudo parameters' values. */
export const LOCAL_ACCOUNT = '123456789012';
export const LOCAL_REGION = 'us-east-1';

/** `Ref AWS::NoValue`: the property is left out. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** The property that holds an explicit physical name, by resource type (path inside Properties). */
const NAME_PROPERTY: Readonly<Record<string, readonly string[]>> = {
  'AWS::S3::Bucket': ['BucketName'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::Serverless::SimpleTable': ['TableName'],
  'AWS::KinesisFirehose::DeliveryStream': ['DeliveryStreamName'],
  'AWS::Glue::Database': ['DatabaseInput', 'Name'],
  'AWS::Glue::Table': ['TableInput', 'Name'],
  'AWS::Glue::Crawler': ['Name'],
  'AWS::Glue::Job': ['Name'],
  'AWS::Serverless::Function': ['FunctionName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::StepFunctions::StateMachine': ['StateMachineName'],
};

/** The ARN service and resource form of `Fn::GetAtt X.Arn`, by type. */
const ARN_FORM: Readonly<Record<string, (name: string) => string>> = {
  'AWS::S3::Bucket': (name) => `arn:aws:s3:::${name}`,
  'AWS::DynamoDB::Table': (name) => `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${name}`,
  'AWS::KinesisFirehose::DeliveryStream': (name) =>
    `arn:aws:firehose:${LOCAL_REGION}:${LOCAL_ACCOUNT}:deliverystream/${name}`,
  'AWS::IAM::Role': (name) => `arn:aws:iam::${LOCAL_ACCOUNT}:role/${name}`,
  'AWS::Serverless::Function': (name) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`,
  'AWS::Lambda::Function': (name) => `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`,
  'AWS::Logs::LogGroup': (name) => `arn:aws:logs:${LOCAL_REGION}:${LOCAL_ACCOUNT}:log-group:${name}`,
};

const NESTED_TYPES: Readonly<Record<string, string>> = {
  'AWS::Serverless::Application': 'Location',
  'AWS::CloudFormation::Stack': 'TemplateURL',
};

/** One template, evaluated under the parameter values it is given. */
export class LocalStack {
  private readonly conditions = new Map<string, boolean>();
  private readonly children = new Map<string, LocalStack>();

  private constructor(
    /** The repository root. */
    readonly root: string,
    /** Repository-relative path of the template. */
    readonly path: string,
    readonly template: Json,
    /** The stack's name: the root's given name, `<parent>-<logical id>` for a nested stack. */
    readonly name: string,
    /** Every declared parameter's value. */
    readonly parameters: Readonly<Record<string, string>>,
  ) {}

  /** Opens `path` (repository-relative) as a root stack named `name`, with the given parameter values. */
  static open(root: string, path: string, name: string, given: Readonly<Record<string, string>>): LocalStack {
    const template = readTemplate(root, path);
    return new LocalStack(root, path, template, name, effectiveParameters(path, template, given));
  }

  /** The resource `logicalId` declares, or an error naming the template. */
  resource(logicalId: string): Json {
    const resource = at(this.template, 'Resources', logicalId);
    if (!isJson(resource))
      throw new TemplateError(
        `${this.path} has no resource ${logicalId}; run \`npx dataless synth\` if the templates are stale`,
        'LOCAL_TEMPLATE',
      );
    return resource;
  }

  /** Resources whose condition holds, in template order, optionally only of the given types. */
  resources(...types: string[]): Array<[string, Json]> {
    return Object.entries(objectAt(this.template, 'Resources')).flatMap(([id, resource]): Array<[string, Json]> => {
      if (!isJson(resource)) return [];
      const type = textAt(resource, 'Type') ?? '';
      const condition = textAt(resource, 'Condition');
      return (types.length === 0 || types.includes(type)) && (condition === undefined || this.condition(condition))
        ? [[id, resource]]
        : [];
    });
  }

  /** The value of a named condition. */
  condition(name: string): boolean {
    const known = this.conditions.get(name);
    if (known !== undefined) return known;
    const expression = at(this.template, 'Conditions', name);
    if (expression === undefined) throw new TemplateError(`${this.path} has no condition ${name}`, 'LOCAL_TEMPLATE');
    const value = this.truth(expression);
    this.conditions.set(name, value);
    return value;
  }

  /** The nested stack that resource `logicalId` declares, with the parameters this stack passes it. */
  nested(logicalId: string): LocalStack {
    const known = this.children.get(logicalId);
    if (known) return known;
    const resource = this.resource(logicalId);
    const type = textAt(resource, 'Type') ?? '';
    const property = NESTED_TYPES[type];
    if (!property)
      throw new TemplateError(`${this.path}: ${logicalId} is a ${type}, not a nested stack`, 'LOCAL_TEMPLATE');
    const location = this.resolve(at(resource, 'Properties', property));
    if (typeof location !== 'string' || /^(s3|https?):\/\//.test(location)) {
      throw new TemplateError(`${this.path}: ${logicalId}.${property} is not a local template file`, 'LOCAL_TEMPLATE');
    }
    const path = relative(this.root, join(this.root, dirname(this.path), location));
    const given: Record<string, string> = {};
    for (const [name, value] of Object.entries(objectAt(resource, 'Properties', 'Parameters'))) {
      const resolved = this.resolve(value);
      if (resolved !== NO_VALUE) given[name] = asText(resolved, `${this.path}: ${logicalId} parameter ${name}`);
    }
    const template = readTemplate(this.root, path);
    const child = new LocalStack(
      this.root,
      path,
      template,
      `${this.name}-${logicalId}`,
      effectiveParameters(path, template, given),
    );
    this.children.set(logicalId, child);
    return child;
  }

  /** The value of an output of this stack. */
  output(name: string): string {
    const output = at(this.template, 'Outputs', name);
    if (!isJson(output)) throw new TemplateError(`${this.path} has no output ${name}`, 'LOCAL_TEMPLATE');
    return asText(this.resolve(output.Value), `${this.path}: output ${name}`);
  }

  /** The physical name (what `Ref` gives for most types) of a resource. */
  physicalName(logicalId: string): string {
    const resource = this.resource(logicalId);
    const type = textAt(resource, 'Type') ?? '';
    const path = NAME_PROPERTY[type];
    const value = path ? at(resource, 'Properties', ...path) : undefined;
    if (value !== undefined) return asText(this.resolve(value), `${this.path}: ${logicalId} name`);
    const generated = `${this.name}-${logicalId}`;
    // Bucket names are lower case, at most 63 characters.
    return type === 'AWS::S3::Bucket' ? generated.toLowerCase().slice(0, 63) : generated;
  }

  /**
   * Evaluates an expression: literals as they are, intrinsic functions to
   * their local values. Objects and lists are evaluated member by member;
   * members that evaluate to `AWS::NoValue` are left out.
   */
  resolve(expression: unknown): unknown {
    if (expression === null || typeof expression !== 'object') return expression;
    if (Array.isArray(expression))
      return expression.map((item) => this.resolve(item)).filter((item) => item !== NO_VALUE);
    const keys = Object.keys(expression);
    const [fn] = keys;
    if (keys.length === 1 && fn !== undefined && (fn === 'Ref' || fn.startsWith('Fn::') || fn === 'Condition')) {
      return this.intrinsic(fn, (expression as Json)[fn]);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(expression)) {
      const resolved = this.resolve(value);
      if (resolved !== NO_VALUE) out[key] = resolved;
    }
    return out;
  }

  /** `resolve`, insisting on text; the error names `what`. */
  text(expression: unknown, what: string): string {
    return asText(this.resolve(expression), `${this.path}: ${what}`);
  }

  private intrinsic(fn: string, args: unknown): unknown {
    switch (fn) {
      case 'Ref':
        return this.ref(String(args));
      case 'Fn::GetAtt': {
        const [id, ...attribute] = Array.isArray(args) ? args.map(String) : String(args).split('.');
        return this.getAtt(id ?? '', attribute.join('.'));
      }
      case 'Fn::Sub':
        return Array.isArray(args)
          ? this.sub(String(args[0]), objectAt(this.resolve(args[1])))
          : this.sub(String(args), {});
      case 'Fn::If': {
        const [condition, whenTrue, whenFalse] = args as [string, unknown, unknown];
        return this.resolve(this.condition(condition) ? whenTrue : whenFalse);
      }
      case 'Fn::Join': {
        const [delimiter, list] = args as [string, unknown];
        return (this.resolve(list) as unknown[])
          .map((item) => asText(item, `${this.path}: Fn::Join item`))
          .join(delimiter);
      }
      case 'Fn::Select': {
        const [index, list] = args as [unknown, unknown];
        return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
      }
      case 'Fn::Split': {
        const [delimiter, text] = args as [string, unknown];
        return asText(this.resolve(text), `${this.path}: Fn::Split`).split(delimiter);
      }
      case 'Fn::Equals':
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or':
      case 'Condition':
        return this.truth({ [fn]: args });
      default:
        throw new TemplateError(`${this.path}: ${fn} has no local value`, 'LOCAL_TEMPLATE');
    }
  }

  private truth(expression: unknown): boolean {
    const [fn, args] = Object.entries(isJson(expression) ? expression : {})[0] ?? [];
    switch (fn) {
      case 'Fn::Equals': {
        const [left, right] = (args as unknown[]).map((value) => this.resolve(value));
        return String(left) === String(right);
      }
      case 'Fn::Not':
        return !this.truth((args as unknown[])[0]);
      case 'Fn::And':
        return (args as unknown[]).every((item) => this.truth(item));
      case 'Fn::Or':
        return (args as unknown[]).some((item) => this.truth(item));
      case 'Condition':
        return this.condition(args as string);
      default:
        throw new TemplateError(`${this.path}: ${JSON.stringify(expression)} is not a condition`, 'LOCAL_TEMPLATE');
    }
  }

  private ref(name: string): unknown {
    switch (name) {
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::Region':
        return LOCAL_REGION;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.name;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stack/${this.name}/local`;
    }
    if (name in this.parameters) return this.parameters[name];
    // SAM's generated companions: `Function.Alias`, `Api.Stage`.
    const [id, companion] = name.split('.') as [string, string | undefined];
    const resource = this.resource(id);
    if (companion === 'Alias') {
      const alias = at(resource, 'Properties', 'AutoPublishAlias') ?? this.globalFunction('AutoPublishAlias') ?? 'live';
      return `${asText(this.getAtt(id, 'Arn'), `${this.path}: ${id} Arn`)}:${asText(this.resolve(alias), `${this.path}: ${id} AutoPublishAlias`)}`;
    }
    if (companion === 'Stage') return this.text(at(resource, 'Properties', 'StageName'), `${id}.StageName`);
    if (companion !== undefined)
      throw new TemplateError(`${this.path}: Ref ${name} has no local value`, 'LOCAL_TEMPLATE');
    return this.physicalName(id);
  }

  private getAtt(id: string, attribute: string): unknown {
    const resource = this.resource(id);
    if (attribute.startsWith('Outputs.')) return this.nested(id).output(attribute.slice('Outputs.'.length));
    if (attribute === 'Arn') {
      const type = textAt(resource, 'Type') ?? '';
      const form = ARN_FORM[type];
      const name = this.physicalName(id);
      return form
        ? form(name)
        : `arn:aws:${(type.split('::')[1] ?? 'local').toLowerCase()}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${name}`;
    }
    if (attribute === 'Name') return this.physicalName(id);
    throw new TemplateError(`${this.path}: Fn::GetAtt ${id}.${attribute} has no local value`, 'LOCAL_TEMPLATE');
  }

  private sub(text: string, variables: Json): string {
    return text.replace(/\$\{(!?)([^}]+)\}/g, (whole, literal: string, name: string) => {
      if (literal) return '${' + name + '}';
      if (name in variables) return asText(variables[name], `${this.path}: Fn::Sub variable ${name}`);
      const resolved =
        name.includes('.') && !(name in this.parameters) && !name.endsWith('.Alias') && !name.endsWith('.Stage')
          ? this.getAtt(name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1))
          : this.ref(name);
      return asText(resolved, `${this.path}: Fn::Sub ${whole}`);
    });
  }

  /** A value of the template's Globals.Function section (SAM). */
  globalFunction(property: string): unknown {
    return this.resolve(at(this.template, 'Globals', 'Function', property));
  }
}

function asText(value: unknown, what: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(
    `${what} is not text locally (${value === NO_VALUE ? 'AWS::NoValue' : JSON.stringify(value)})`,
    'LOCAL_TEMPLATE',
  );
}

function readTemplate(root: string, path: string): Json {
  let text: string;
  try {
    text = readFileSync(join(root, path), 'utf8');
  } catch {
    throw new TemplateError(
      `${path} is missing; run \`npx dataless synth\` to generate the templates`,
      'LOCAL_TEMPLATE',
    );
  }
  const template = parseTemplate(text, path);
  if (!isJson(template)) throw new TemplateError(`${path} is not a template`, 'LOCAL_TEMPLATE');
  return template;
}

function effectiveParameters(
  path: string,
  template: Json,
  given: Readonly<Record<string, string>>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, definition] of Object.entries(objectAt(template, 'Parameters'))) {
    const fallback = at(definition, 'Default');
    const value =
      given[name] ?? (fallback === undefined ? undefined : asText(fallback, `${path}: parameter ${name} default`));
    if (value === undefined)
      throw new TemplateError(`${path}: parameter ${name} has no value and no default`, 'LOCAL_TEMPLATE');
    values[name] = value;
  }
  return values;
}
