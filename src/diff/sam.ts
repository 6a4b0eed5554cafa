// SAM resources as the ecosystem's data can judge them. The service
// specification lists AWS::Serverless::* types with every property marked as
// replacing (it is derived from SAM's schema, which has no update behaviour):
// measured, a changed Runtime or MemorySize of a SAM function reads "always
// replaces". The SAM transform turns each such resource into one
// CloudFormation resource of the same logical id, so a property is judged
// by that type's data; properties only SAM knows (Events, Policies,
// CodeUri...) change other generated resources or update in place.
// A function's Policies become the role SAM generates for it, so that its
// statements land in the IAM table.
import type { Template, TemplateResource } from './model';

/** The CloudFormation type the SAM transform makes of each SAM resource type, under the same logical id. */
const TRANSFORMED_TYPE: ReadonlyMap<string, string> = new Map([
  ['AWS::Serverless::Function', 'AWS::Lambda::Function'],
  ['AWS::Serverless::Api', 'AWS::ApiGateway::RestApi'],
  ['AWS::Serverless::HttpApi', 'AWS::ApiGatewayV2::Api'],
  ['AWS::Serverless::Application', 'AWS::CloudFormation::Stack'],
  ['AWS::Serverless::SimpleTable', 'AWS::DynamoDB::Table'],
  ['AWS::Serverless::StateMachine', 'AWS::StepFunctions::StateMachine'],
  ['AWS::Serverless::LayerVersion', 'AWS::Lambda::LayerVersion'],
]);

/** The type whose data judges a resource: itself, or what SAM makes of it. */
export function judgedType(type: string): string {
  return TRANSFORMED_TYPE.get(type) ?? type;
}

/** The id of the stand-in role for a SAM function's Policies; a dot cannot occur in a logical id, so it never meets a real one. */
export function policiesId(functionId: string): string {
  return `${functionId}.Policies`;
}

/** The function whose Policies a stand-in role holds, or undefined for any other id. */
export function policiesOwner(id: string): string | undefined {
  return id.endsWith('.Policies') ? id.slice(0, -'.Policies'.length) : undefined;
}

/**
 * The template as the diff library reads it: SAM types replaced by what they
 * become, and each SAM function's Policies as a stand-in IAM role
 * (inline statements as policies, names and ARNs as managed policies, SAM
 * policy templates as a statement that names the template and its parameters).
 */
export function libraryView(template: Template): Record<string, unknown> {
  const resources: Record<string, TemplateResource> = {};
  for (const [id, resource] of Object.entries(template.Resources ?? {})) {
    resources[id] = {
      ...resource,
      Type: judgedType(resource.Type),
      ...(resource.Properties ? { Properties: withConditionalRules(resource.Properties) } : {}),
    };
    if (resource.Type === 'AWS::Serverless::Function') {
      const role = policiesRole(resource.Properties?.Policies);
      if (role) resources[policiesId(id)] = role;
    }
  }
  return { ...template, Resources: resources };
}

/** Security group rule lists, whose rules the library reads only from a plain list. */
const RULE_LISTS = ['SecurityGroupIngress', 'SecurityGroupEgress'];

/** Rule lists chosen by a condition (`!If [c, rules, rules]`) as every rule either branch may create, so that none escapes the table. */
function withConditionalRules(properties: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  if (!RULE_LISTS.some((name) => isIf(properties[name]))) return properties;
  return Object.fromEntries(
    Object.entries(properties).map(([name, value]) => [name, RULE_LISTS.includes(name) ? branches(value) : value]),
  );
}

function isIf(value: unknown): value is { 'Fn::If': [unknown, unknown, unknown] } {
  return typeof value === 'object' && value !== null && Array.isArray((value as Record<string, unknown>)['Fn::If']);
}

function branches(value: unknown): unknown[] {
  if (isIf(value)) {
    const [, whenTrue, whenFalse] = value['Fn::If'];
    const all = [...branches(whenTrue), ...branches(whenFalse)];
    return all.filter((rule, i) => all.findIndex((other) => JSON.stringify(other) === JSON.stringify(rule)) === i);
  }
  if (Array.isArray(value)) return (value as unknown[]).flatMap((item) => (isIf(item) ? branches(item) : [item]));
  const isNoValue =
    typeof value === 'object' && value !== null && (value as Record<string, unknown>).Ref === 'AWS::NoValue';
  return value === undefined || isNoValue ? [] : [value];
}

function policiesRole(policies: unknown): TemplateResource | undefined {
  if (policies === undefined) return undefined;
  const list: unknown[] = Array.isArray(policies) ? (policies as unknown[]) : [policies];
  const inline: unknown[] = [];
  const managed: unknown[] = [];
  list.forEach((policy, i) => {
    if (typeof policy === 'string' || isIntrinsic(policy)) {
      managed.push(policy);
    } else if (typeof policy === 'object' && policy !== null && 'Statement' in policy) {
      inline.push({ PolicyName: `Policy${i}`, PolicyDocument: policy });
    } else if (typeof policy === 'object' && policy !== null) {
      for (const [name, parameters] of Object.entries(policy as Record<string, unknown>)) {
        inline.push({
          PolicyName: `Policy${i}`,
          PolicyDocument: {
            Statement: [
              { Effect: 'Allow', Action: `SAM policy template ${name}`, Resource: describeParameters(parameters) },
            ],
          },
        });
      }
    }
  });
  return { Type: 'AWS::IAM::Role', Properties: { Policies: inline, ManagedPolicyArns: managed } };
}

function isIntrinsic(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

function describeParameters(parameters: unknown): unknown {
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) return '*';
  const entries = Object.entries(parameters);
  return entries.length === 0 ? '*' : entries.map(([k, v]) => ({ 'Fn::Join': ['', [`${k}=`, v]] }));
}
