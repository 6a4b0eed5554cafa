// Small builders for IAM documents, so that every role in every stack states
// its trust, its grants and the ARNs they name the same way.
import { AWS, sub, type Intrinsic, type SubPart, type Value } from '../../cfn/intrinsics';

/** One IAM policy statement. */
export interface Statement {
  readonly Effect?: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: Value<string> | readonly Value<string>[];
  readonly Condition?: Record<string, unknown>;
  readonly Sid?: string;
}

/** A trust policy that lets the named AWS services (e.g. `lambda`) assume the role. */
export function serviceTrust(services: readonly string[]) {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: services.map((s) => `${s}.amazonaws.com`) },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}

/**
 * The key policy statement that leaves a customer-managed key to the account:
 * its own IAM policies decide who administers and uses the key, as with any key.
 */
export function accountAdministersKey() {
  return {
    Sid: 'AccountAdministers',
    Effect: 'Allow',
    Principal: { AWS: sub`arn:${AWS.Partition}:iam::${AWS.AccountId}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
}

/** An inline policy of a role. */
export function inlinePolicy(name: string, statements: readonly Statement[]) {
  return {
    PolicyName: name,
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: statements.map((s) => ({ Effect: 'Allow', ...s })),
    },
  };
}

/** Where the ARN of every AWS managed policy starts. */
export const MANAGED_POLICY_PREFIX = 'arn:aws:iam::aws:policy/';

/**
 * The AWS managed policies the stacks attach, each with what it grants as AWS
 * publishes it: whole services (`service:*`, for every service its statements
 * name, those held by a condition or a resource included) and IAM actions one
 * by one. The permissions boundary of the application roles must allow them
 * (see boundary-policy.ts); a policy not listed here cannot be attached.
 *
 * Each entry names the policy version it was checked against, as the AWS
 * Managed Policy reference (docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html)
 * gives it; a newer default version there means the entry must be checked again.
 */
export const MANAGED_POLICY_GRANTS = {
  // v3, edited 2016-02-22.
  'service-role/AmazonEC2RoleforDataPipelineRole': [
    'cloudwatch:*',
    'datapipeline:*',
    'dynamodb:*',
    'ec2:*',
    'elasticmapreduce:*',
    'rds:*',
    'redshift:*',
    's3:*',
    'sdb:*',
    'sns:*',
    'sqs:*',
  ],
  // v10, edited 2020-06-24 (AWS marks it "on a deprecation path", not yet deprecated).
  'service-role/AmazonElasticMapReduceRole': [
    'application-autoscaling:*',
    'cloudwatch:*',
    'ec2:*',
    's3:*',
    'sdb:*',
    'sqs:*',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:ListInstanceProfiles',
    'iam:ListRolePolicies',
    'iam:PassRole',
    // Only for the EC2 Spot service-linked role.
    'iam:CreateServiceLinkedRole',
  ],
  // v3, edited 2017-08-11.
  'service-role/AmazonElasticMapReduceforEC2Role': [
    'cloudwatch:*',
    'dynamodb:*',
    'ec2:*',
    'elasticmapreduce:*',
    'glue:*',
    'kinesis:*',
    'rds:*',
    's3:*',
    'sdb:*',
    'sns:*',
    'sqs:*',
  ],
  // v5, edited 2023-09-11.
  'service-role/AWSGlueServiceRole': [
    'cloudwatch:*',
    'ec2:*',
    'glue:*',
    'logs:*',
    's3:*',
    'iam:GetRole',
    'iam:GetRolePolicy',
    'iam:ListRolePolicies',
  ],
  // v3, edited 2019-12-03.
  'service-role/AWSCodeDeployRoleForLambda': ['cloudwatch:*', 'lambda:*', 's3:*', 'sns:*'],
  // v1, edited 2015-11-11.
  'service-role/AmazonAPIGatewayPushToCloudWatchLogs': ['logs:*'],
} as const satisfies Record<string, readonly string[]>;

/**
 * AWS managed policies AWS has deprecated. A deprecated policy stays on the
 * roles that already have it but cannot be attached to a new role (IAM User
 * Guide, "Deprecated AWS managed policies"), so a first deployment would be
 * refused: no role may attach one, and synth says so. AWSDataPipelineRole was
 * deprecated on 2022-10-03 (Data Pipeline developer guide, "IAM Roles for AWS
 * Data Pipeline"); PipelineRole is granted what it needs inline instead.
 */
export const DEPRECATED_MANAGED_POLICIES: readonly string[] = ['service-role/AWSDataPipelineRole'];

/** An AWS managed policy the stacks may attach. */
export type ManagedPolicyName = keyof typeof MANAGED_POLICY_GRANTS;

/** The ARN of an AWS managed policy, e.g. `service-role/AWSGlueServiceRole`. */
export function managedPolicy(name: ManagedPolicyName): string {
  return `${MANAGED_POLICY_PREFIX}${name}`;
}

/** A tag for ARNs in the stack's own partition, region and account: arnIn('glue')`table/${database}/*`. */
export function arnIn(service: string): (strings: TemplateStringsArray, ...parts: SubPart[]) => Intrinsic {
  return (strings, ...parts) => {
    const texts = ['arn:', `:${service}:`, ':', `:${strings[0] ?? ''}`, ...strings.slice(1)];
    return sub(Object.assign(texts, { raw: texts }), AWS.Partition, AWS.Region, AWS.AccountId, ...parts);
  };
}

const glue = arnIn('glue');

/**
 * What a Glue Data Catalog call on a database's tables is authorised against:
 * the catalog, the database and its tables, and with `functions` its
 * user-defined functions. `*` for the database means every database.
 */
export function glueDatabaseArns(database: SubPart, options: { readonly functions?: boolean } = {}): Intrinsic[] {
  return [
    glue`catalog`,
    glue`database/${database}`,
    glue`table/${database}/*`,
    ...(options.functions ? [glue`userDefinedFunction/${database}/*`] : []),
  ];
}

/** The ARN of a bucket given by name. */
export function bucketArn(bucketName: SubPart): Intrinsic {
  return sub`arn:${AWS.Partition}:s3:::${bucketName}`;
}

/** The ARN of the objects `keys` (a key or a pattern) names in a bucket given by name. */
export function objectsArn(bucketName: SubPart, keys: string): Intrinsic {
  return sub`arn:${AWS.Partition}:s3:::${bucketName}/${keys}`;
}

/**
 * The folders that hold every key starting with `prefix`
 * (`data/lake/advertising` → `data`, `data/lake`; `data/temp/` → `data`,
 * `data/temp`). EMR's S3 file system (EMRFS) lists each by name and reads and
 * writes a `<folder>_$folder$` marker key beside it, which a grant on
 * `<prefix>*` does not cover.
 */
export function foldersAbove(prefix: string): string[] {
  return [...prefix.matchAll(/\//g)].map((slash) => prefix.slice(0, slash.index));
}

/** The marker key EMRFS keeps for a folder. */
export function folderMarker(folder: string): string {
  return `${folder}_$folder$`;
}

/** Where the build put the packaged repository files. */
export interface CodeLocation {
  readonly bucket: SubPart;
  /** Key prefix, without a trailing slash. */
  readonly prefix: SubPart;
}

/** Read the packaged scripts of one folder of the repository, e.g. `jobs/hive`. */
export function readScripts(sid: string, code: CodeLocation, folder: string): Statement {
  return {
    Sid: sid,
    Action: 's3:GetObject',
    Resource: sub`arn:${AWS.Partition}:s3:::${code.bucket}/${code.prefix}/${folder}/*`,
  };
}
