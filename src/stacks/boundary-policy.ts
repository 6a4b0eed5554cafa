// The permissions boundary of the application stacks' roles (build.yaml's
// PermissionsBoundary): the most any role the deploy role creates may ever do.
// It is derived from the same generated templates the deploy role's services
// are: every action their roles' policies name, and what each AWS managed
// policy they attach grants, so a role that starts using a new service widens
// the boundary with it instead of failing at run time.
//
// It caps services, not actions: the roles' own policies hold each to its
// actions and resources, and the AWS managed policies the legacy engine needs
// grant whole services. IAM, the way to more rights, is held to the actions
// named.
import { TemplateError } from '../errors';
import {
  DEPRECATED_MANAGED_POLICIES,
  MANAGED_POLICY_GRANTS,
  MANAGED_POLICY_PREFIX,
  type Statement,
} from './shared/iam';

type Json = Record<string, unknown>;

/** Every string under an `Action` key of `value`, the branches of `Fn::If` included. */
function actionsIn(value: unknown, underAction = false): string[] {
  if (typeof value === 'string') return underAction ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => actionsIn(item, underAction));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Json).flatMap(([key, item]) => actionsIn(item, underAction || key === 'Action'));
}

/** Every AWS managed policy ARN under `value`. */
function managedPoliciesIn(value: unknown): string[] {
  if (typeof value === 'string') return value.startsWith(MANAGED_POLICY_PREFIX) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(managedPoliciesIn);
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value as Json).flatMap(managedPoliciesIn);
}

/** What the roles and policies of `templates` grant: the actions of their policy documents and managed policies. */
export function grantedActions(templates: readonly Json[]): string[] {
  const actions: string[] = [];
  for (const template of templates) {
    for (const [id, resource] of Object.entries((template.Resources ?? {}) as Record<string, Json>)) {
      const properties = (resource.Properties ?? {}) as Json;
      if (resource.Type === 'AWS::IAM::Role') {
        actions.push(...actionsIn(properties.Policies));
        for (const arn of managedPoliciesIn(properties.ManagedPolicyArns)) {
          const name = arn.slice(MANAGED_POLICY_PREFIX.length);
          if (DEPRECATED_MANAGED_POLICIES.includes(name))
            throw new TemplateError(
              `role ${id} attaches ${arn}, which AWS has deprecated and IAM will not attach to a new role: grant the permissions it needs in an inline policy`,
            );
          const grants = (MANAGED_POLICY_GRANTS as Record<string, readonly string[]>)[name];
          if (!grants)
            throw new TemplateError(
              `role ${id} attaches ${arn}, which src/stacks/shared/iam.ts does not list: add what it grants to MANAGED_POLICY_GRANTS`,
            );
          actions.push(...grants);
        }
      } else if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
        actions.push(...actionsIn(properties.PolicyDocument));
      }
    }
  }
  return actions;
}

/** The boundary's statements for `actions`: each service but IAM whole, IAM's actions one by one. */
export function boundaryStatements(actions: readonly string[]): Statement[] {
  const services = new Set<string>();
  const iam = new Set<string>();
  for (const action of actions) {
    const service = action.split(':')[0]!;
    if (service === 'iam') iam.add(action);
    else services.add(service);
  }
  const statements: Statement[] = [
    { Sid: 'ServicesOfTheStacks', Action: [...services].sort().map((s) => `${s}:*`), Resource: '*' },
  ];
  if (iam.size > 0) statements.push({ Sid: 'IamActionsOfTheStacks', Action: [...iam].sort(), Resource: '*' });
  return statements;
}
