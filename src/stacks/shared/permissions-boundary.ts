// The permissions boundary of the application stacks' roles: each template
// declares PermissionsBoundaryArn (the root passes it down), and where it is
// given every role the template creates carries it. The pipeline's deploy role
// may create and change roles only with that boundary (see deploy-role.ts).
import { AWS, fnIf, notEmpty } from '../../cfn/intrinsics';
import type { Parameter, Template } from '../../cfn/template';

/** Gives every role of `t` the boundary `arn` names, where it is not empty. */
export function applyPermissionsBoundary(t: Template, arn: Parameter): void {
  const given = t.condition('PermissionsBoundaryGiven', notEmpty(arn));
  t.setPermissionsBoundary(fnIf(given, arn, AWS.NoValue));
}
