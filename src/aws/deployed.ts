// The templates of a deployed stack and of each stack nested in it, as
// CloudFormation returns them (GetTemplate, Original stage: the template as
// submitted, before SAM's transform), for `dataless diff` and `deploy`.
import type { CloudFormationClient, GetTemplateOutput, Parameter, Stack } from '@aws-sdk/client-cloudformation';
import { DeploymentError } from '../errors';
import { parseTemplate } from '../cfn/yaml';
import type { Template } from '../diff/model';
import type { LoadedTemplate, TemplateSource } from '../diff/walk';
import { describeStack } from './deploy/changeset';
import { awsError, isMissingStack } from './errors';

/** A deployed tree's source, and the root stack's current parameter values once the root has been read. */
export interface DeployedSource extends TemplateSource {
  /** The root stack's parameters as CloudFormation reports them (NoEcho values masked). */
  readonly parameters: () => readonly Parameter[];
}

/**
 * The tree of the deployed stack `stackName`; its root is undefined when there
 * is no such stack (or only the shell of a change set never executed).
 */
export function deployedSource(cfn: CloudFormationClient, stackName: string, described?: Stack): DeployedSource {
  const ids = new WeakMap<LoadedTemplate, string>();
  let parameters: readonly Parameter[] = [];

  const template = async (stackId: string, name: string): Promise<Template> => {
    const { GetTemplateCommand } = await import('@aws-sdk/client-cloudformation');
    let body: string | undefined;
    try {
      body = (
        (await cfn.send(new GetTemplateCommand({ StackName: stackId, TemplateStage: 'Original' }))) as
          GetTemplateOutput | undefined
      )?.TemplateBody;
    } catch (error) {
      throw awsError(`reading the template of stack ${name}`, error);
    }
    if (body === undefined)
      throw new DeploymentError(`CloudFormation returned no template for stack ${name}`, { code: 'TEMPLATE_MISSING' });
    return parseTemplate(body, `the template of stack ${name}`) as Template;
  };

  return {
    parameters: () => parameters,
    root: async () => {
      const stack = described ?? (await describeStack(cfn, stackName));
      if (!stack || stack.StackStatus === 'REVIEW_IN_PROGRESS' || stack.StackStatus === 'DELETE_COMPLETE')
        return undefined;
      parameters = stack.Parameters ?? [];
      const loaded = { template: `stack ${stackName}`, body: await template(stack.StackId ?? stackName, stackName) };
      ids.set(loaded, stack.StackId ?? stackName);
      return loaded;
    },
    nested: async (parent, logicalId) => {
      const { DescribeStackResourceCommand } = await import('@aws-sdk/client-cloudformation');
      const parentId = ids.get(parent)!;
      let physicalId: string | undefined;
      try {
        const answer = await cfn.send(
          new DescribeStackResourceCommand({ StackName: parentId, LogicalResourceId: logicalId }),
        );
        physicalId = answer.StackResourceDetail?.PhysicalResourceId;
      } catch (error) {
        // A nested stack the template declares but CloudFormation never created (e.g. behind a false condition).
        if (isMissingStack(error)) return undefined;
        throw awsError(`finding nested stack ${logicalId} of ${parent.template}`, error);
      }
      if (!physicalId) return undefined;
      const name = stackNameOf(physicalId);
      const loaded = { template: `stack ${name}`, body: await template(physicalId, name) };
      ids.set(loaded, physicalId);
      return loaded;
    },
  };
}

/** The stack name inside a stack ARN (`arn:...:stack/NAME/ID`), or the value itself. */
function stackNameOf(id: string): string {
  return /:stack\/([^/]+)\//.exec(id)?.[1] ?? id;
}
