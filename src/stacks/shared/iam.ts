// Small builders for IAM documents, so that every role in every stack states
// its trust and its grants the same way.
import type { Value } from '../../cfn/intrinsics';

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

/** The ARN of an AWS managed policy, e.g. `service-role/AWSGlueServiceRole`. */
export function managedPolicy(name: string): string {
  return `arn:aws:iam::aws:policy/${name}`;
}
