// The long-running Data Pipeline Task Runners, as both stacks see them: the
// root stack starts them (on its EC2 instance and its EMR cluster) and the
// nested batch stack sends them work by worker group. A nested stack's
// AWS::StackName is its own, so the groups are named after the data bucket,
// which both stacks know and which is unique per deployment.
import { sub, type Intrinsic, type SubPart } from '../../../cfn/intrinsics';

/** Where a long-running Task Runner runs. */
export type WorkerKind = 'instance' | 'emr';

/** What follows the bucket name in a worker group's name. */
export const WORKER_GROUP_SUFFIX: Readonly<Record<WorkerKind, string>> = {
  instance: '-instance-worker-group',
  emr: '-emr-worker-group',
};

/** The worker group the Task Runner of `kind` polls, given the data bucket's name. */
export function workerGroup(bucketName: SubPart, kind: WorkerKind): Intrinsic {
  return sub`${bucketName}${WORKER_GROUP_SUFFIX[kind]}`;
}

/** The folder of the data bucket that the Task Runner of `kind` writes its logs to. */
export function taskRunnerLogFolder(kind: WorkerKind): string {
  return `logs/task-runner/${kind}/`;
}

/**
 * The folder of the data bucket that Data Pipeline writes the pipeline's logs to
 * (the Default object's pipelineLogUri), as the pipeline role.
 */
export const PIPELINE_LOG_FOLDER = 'logs/data-pipeline/';
