// What CloudFormation would make of the templates' values in one deployment:
// intrinsic functions evaluated to the strings a stack of a given name would
// get, nested stacks included. Physical ids that CloudFormation generates are
// made the way it makes them (stack name, logical id, random suffix), seeded by
// the stack, so two deployments never share one unless a template fixes it.
import { createHash } from 'node:crypto';
import { NO_VALUE, walkStacks, type Resolved, type WalkedStack } from './conditions';

type Json = Record<string, any>;

/** How an expression's references are answered. */
export interface Lookup {
  /** `Ref` of a pseudo parameter, parameter or resource. */
  readonly ref: (name: string) => unknown;
  /** `Fn::GetAtt` of a resource's attribute. */
  readonly getAtt: (logicalId: string, attribute: string) => unknown;
  /** Whether a condition of the template holds (`Fn::If`). */
  readonly condition?: (name: string) => boolean;
}

/**
 * The value of `expression` with every intrinsic function evaluated: Ref,
 * GetAtt, Sub, Join, Split, Select, If, Base64. Any other function fails, so a
 * value is never guessed.
 */
export function evaluateIntrinsics(expression: unknown, lookup: Lookup): unknown {
  const evaluate = (e: unknown): unknown => evaluateIntrinsics(e, lookup);
  if (expression === null || typeof expression !== 'object') return expression;
  if (Array.isArray(expression)) return expression.map(evaluate).filter((item) => item !== NO_VALUE);
  const keys = Object.keys(expression);
  const [fn] = keys;
  const args = (expression as Json)[fn!];
  if (keys.length !== 1 || !(fn === 'Ref' || fn!.startsWith('Fn::'))) {
    const out: Json = {};
    for (const [key, value] of Object.entries(expression)) {
      const v = evaluate(value);
      if (v !== NO_VALUE) out[key] = v;
    }
    return out;
  }
  switch (fn) {
    case 'Ref':
      return args === 'AWS::NoValue' ? NO_VALUE : lookup.ref(args as string);
    case 'Fn::GetAtt': {
      const [id, ...attribute] = Array.isArray(args) ? (args as string[]) : String(args).split('.');
      return lookup.getAtt(id!, attribute.join('.'));
    }
    case 'Fn::Sub': {
      const [text, variables] = typeof args === 'string' ? [args, {}] : (args as [string, Json]);
      return text.replace(/\$\{(!?)([^}]*)\}/g, (_whole, literal: string, name: string) => {
        if (literal) return '${' + name + '}';
        if (name in variables) return String(evaluate(variables[name]));
        const dot = name.indexOf('.');
        return String(
          dot > 0 && !name.startsWith('AWS::')
            ? lookup.getAtt(name.slice(0, dot), name.slice(dot + 1))
            : lookup.ref(name),
        );
      });
    }
    case 'Fn::Join': {
      const [delimiter, values] = args as [string, unknown];
      return (evaluate(values) as unknown[]).join(delimiter);
    }
    case 'Fn::Split': {
      const [delimiter, source] = args as [string, unknown];
      return String(evaluate(source)).split(delimiter);
    }
    case 'Fn::Select': {
      const [index, values] = args as [unknown, unknown];
      const list = evaluate(values) as unknown[];
      const at = Number(evaluate(index));
      if (!(at >= 0 && at < list.length))
        throw new Error(`Fn::Select index ${at} is outside the list ${JSON.stringify(list)}`);
      return list[at];
    }
    case 'Fn::If': {
      if (!lookup.condition) throw new Error('Fn::If needs the template conditions');
      const [condition, whenTrue, whenFalse] = args as [string, unknown, unknown];
      return evaluate(lookup.condition(condition) ? whenTrue : whenFalse);
    }
    case 'Fn::Base64':
      return evaluate(args);
    default:
      throw new Error(`${fn} is not evaluated here: ${JSON.stringify(expression).slice(0, 120)}`);
  }
}

/** Who deploys: the account and region, and the name of the root stack. */
export interface DeploymentTarget {
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
}

/** One stack of a simulated deployment. */
export interface DeployedStack extends WalkedStack {
  readonly stackName: string;
  readonly stackId: string;
  /** The value `expression` has in this stack. */
  readonly value: (expression: unknown) => unknown;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A stack id as CloudFormation writes it: the stack's ARN ending in a UUID. */
function stackIdOf(name: string, target: Required<DeploymentTarget>): string {
  const h = digest(`stack:${name}`);
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-1${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return `arn:aws:cloudformation:${target.region}:${target.account}:stack/${name}/${uuid}`;
}

/** The name CloudFormation gives what a template leaves unnamed: stack, logical id, random suffix. */
function generatedName(stackName: string, logicalId: string): string {
  return `${stackName}-${logicalId}-${digest(`${stackName}/${logicalId}`).slice(0, 12).toUpperCase()}`;
}

/**
 * The root template at `root` and every template it nests, deployed as the
 * stack `target.stackName` with the root parameters `given`: conditions decided
 * as in walkStacks, values evaluated on demand.
 */
export function simulateDeployment(
  root: string,
  given: Readonly<Record<string, string>>,
  target: DeploymentTarget,
  load?: (path: string) => Json,
): DeployedStack[] {
  const where: Required<DeploymentTarget> = { account: '123456789012', region: 'us-east-1', ...target };
  const walked = walkStacks(root, given, load);
  const byPath = new Map(walked.map((s) => [s.path, s]));
  const deployed = new Map<string, DeployedStack>();

  const nestedPath = (parent: WalkedStack, logicalId: string): string => {
    const resource = parent.resources.find((r) => r.id === logicalId)!;
    const location = (resource.definition.Properties?.Location ??
      resource.definition.Properties?.TemplateURL) as string;
    const base = parent.path.split('/').slice(0, -1);
    for (const part of location.split('/')) {
      if (part === '.' || part === '') continue;
      if (part === '..') base.pop();
      else base.push(part);
    }
    return base.join('/');
  };

  const build = (path: string, stackName: string, parameterValue: (name: string) => unknown): DeployedStack => {
    const walkedStack = byPath.get(path);
    if (!walkedStack) throw new Error(`the walk did not reach ${path}`);
    const stackId = stackIdOf(stackName, where);
    const resources = (walkedStack.template.Resources ?? {}) as Json;
    const children = new Map<string, DeployedStack>();
    const child = (logicalId: string): DeployedStack => {
      let found = children.get(logicalId);
      if (!found) {
        const definition = resources[logicalId] as Json;
        const passed = (definition.Properties?.Parameters ?? {}) as Json;
        found = build(nestedPath(walkedStack, logicalId), generatedName(stackName, logicalId), (name) =>
          name in passed ? stack.value(passed[name]) : NO_VALUE,
        );
        children.set(logicalId, found);
      }
      return found;
    };
    const pseudo: Record<string, string> = {
      'AWS::StackName': stackName,
      'AWS::StackId': stackId,
      'AWS::AccountId': where.account,
      'AWS::Region': where.region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const declared = (walkedStack.template.Parameters ?? {}) as Json;
    const lookup: Lookup = {
      ref: (name) => {
        if (name in pseudo) return pseudo[name];
        if (name in declared) {
          const value = parameterValue(name);
          if (value !== NO_VALUE && value !== undefined) return value;
          if (declared[name].Default !== undefined) return String(declared[name].Default);
          throw new Error(`${path}: parameter ${name} has no value`);
        }
        if (name in resources) return generatedName(stackName, name);
        throw new Error(`${path}: Ref to ${name}, which the template does not declare`);
      },
      getAtt: (id, attribute) => {
        if (!(id in resources)) throw new Error(`${path}: GetAtt of ${id}, which the template does not declare`);
        if (attribute.startsWith('Outputs.')) {
          const nested = child(id);
          const output = (nested.template.Outputs ?? {})[attribute.slice('Outputs.'.length)];
          if (!output) throw new Error(`${nested.path}: no output ${attribute.slice('Outputs.'.length)}`);
          return nested.value(output.Value);
        }
        return `${generatedName(stackName, id)}.${attribute}`;
      },
      condition: (name) => {
        const holds = walkedStack.conditions[name];
        if (holds === undefined) throw new Error(`${path}: no condition ${name}`);
        return holds;
      },
    };
    const stack: DeployedStack = {
      ...walkedStack,
      stackName,
      stackId,
      value: (expression) => evaluateIntrinsics(expression, lookup),
    };
    deployed.set(path, stack);
    for (const resource of walkedStack.resources) {
      if (resource.type === 'AWS::Serverless::Application' || resource.type === 'AWS::CloudFormation::Stack') {
        if (byPath.has(nestedPath(walkedStack, resource.id))) child(resource.id);
      }
    }
    return stack;
  };

  const rootParameters: Record<string, Resolved> = { ...given };
  build(root, where.stackName, (name) => rootParameters[name] ?? NO_VALUE);
  return walked.map((s) => deployed.get(s.path)!);
}
