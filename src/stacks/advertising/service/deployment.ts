// The role CodeDeploy shifts the API functions' traffic as. SAM would create
// it (under this same logical id) for functions with a DeploymentPreference,
// but a role SAM generates for CodeDeploy takes no permissions boundary; the
// template declares it instead, so that it carries the boundary like every
// other role, and a stack that had SAM's updates it in place.
import type { Resource, Template } from '../../../cfn/template';
import { managedPolicy, serviceTrust } from '../../shared/iam';

export function declareCodeDeployRole(t: Template): Resource<'AWS::IAM::Role'> {
  return t.resource('CodeDeployServiceRole', 'AWS::IAM::Role', {
    AssumeRolePolicyDocument: serviceTrust(['codedeploy']),
    // What SAM attaches to the role it generates: update and read the alias, run the hooks, read the alarms.
    ManagedPolicyArns: [managedPolicy('service-role/AWSCodeDeployRoleForLambda')],
  });
}
