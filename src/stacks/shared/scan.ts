// The checkov findings the stacks leave on purpose, each with the reason, so
// that resources of the same kind skip a check for the same stated reason.
// A resource passes these as its scanExceptions; docs/security.md lists them.

/** A log group of operational lines, encrypted by CloudWatch Logs with an AWS-owned key. */
export const LOG_GROUP_AWS_KEY = {
  CKV_AWS_158:
    'operational log lines, encrypted at rest by CloudWatch Logs; a customer-managed key would add cost and a key policy to keep for no reader the default excludes',
} as const;

/** A function called synchronously (by API Gateway or Kinesis Analytics) that needs nothing inside a VPC. */
export const SYNCHRONOUS_FUNCTION = {
  CKV_AWS_116:
    'invoked synchronously, so a failure goes back to the caller; a dead-letter queue only receives failed asynchronous invocations',
  CKV_AWS_117:
    'calls only AWS service endpoints (Firehose, DynamoDB, CloudWatch) over TLS with its role; a VPC would add NAT or endpoints and reach nothing private',
} as const;

/** A function whose environment holds names (streams, tables, switches), never a secret. */
export const PLAIN_ENVIRONMENT = {
  CKV_AWS_173:
    'the environment holds resource names and a switch, no secret; Lambda encrypts it at rest with an AWS-managed key',
} as const;

/** A data bucket or artifact bucket whose accesses CloudTrail records. */
export const NO_ACCESS_LOG_BUCKET = {
  CKV_AWS_18:
    "written only by the stack's own roles; CloudTrail data events record who calls it, and a log bucket would need a log bucket of its own",
} as const;

/** Glue jobs and crawlers over the data bucket. */
export const GLUE_BUCKET_ENCRYPTION = {
  CKV_AWS_195:
    'the data bucket encrypts every object with SSE-KMS by default; a Glue security configuration would restate that for S3 and needs a customer-managed key for logs and bookmarks',
} as const;
