// AWS SAM resource types (AWS::Serverless-2016-10-31). No published library
// types them, so the properties the stacks use are declared here, after the
// SAM specification. Values accept intrinsics wherever SAM does.
import type { List, Value } from 'cloudform-types/types/dataTypes';
import { Intrinsic } from './intrinsics';
import type { Resource } from './template';

/** The transform a template must declare to use these resource types. */
export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';

/** An S3 location of code or a template, as SAM accepts it. */
export interface S3Location {
  readonly Bucket: Value<string>;
  readonly Key: Value<string>;
  readonly Version?: Value<string>;
}

/** A SAM policy template, e.g. `{ DynamoDBReadPolicy: { TableName: ... } }`, or a policy document. */
export type SamPolicy = Value<string> | Record<string, unknown>;

/** An event source of a function: a type not listed here needs its member added, not a catch-all. */
export type FunctionEvent =
  | {
      readonly Type: 'Api';
      readonly Properties: { readonly Path: string; readonly Method: string; readonly RestApiId?: Value<string> };
    }
  | {
      readonly Type: 'Kinesis';
      readonly Properties: {
        readonly Stream: Value<string>;
        readonly StartingPosition: Value<string>;
        readonly BatchSize?: Value<number>;
      };
    }
  | {
      readonly Type: 'Schedule';
      readonly Properties: { readonly Schedule: Value<string>; readonly Enabled?: Value<boolean> };
    };

/** `DeploymentPreference` for gradual Lambda deploys through CodeDeploy. */
export interface DeploymentPreference {
  readonly Type: Value<string>;
  readonly Enabled?: Value<boolean>;
  readonly Alarms?: List<Value<string>>;
  readonly Hooks?: { readonly PreTraffic?: Value<string>; readonly PostTraffic?: Value<string> };
  readonly Role?: Value<string>;
}

/** AWS::Serverless::Function properties. */
export interface FunctionProperties {
  readonly Handler?: Value<string>;
  readonly Runtime?: Value<string>;
  readonly CodeUri?: Value<string> | S3Location;
  readonly InlineCode?: Value<string>;
  readonly FunctionName?: Value<string>;
  readonly Description?: Value<string>;
  readonly MemorySize?: Value<number>;
  readonly Timeout?: Value<number>;
  readonly Role?: Value<string>;
  /** The boundary of the role SAM generates when `Role` is not given. */
  readonly PermissionsBoundary?: Value<string>;
  readonly Policies?: SamPolicy | List<SamPolicy>;
  readonly Environment?: { readonly Variables: Record<string, Value<string>> };
  readonly Events?: Record<string, FunctionEvent>;
  readonly Tracing?: Value<string>;
  readonly AutoPublishAlias?: Value<string>;
  readonly DeploymentPreference?: DeploymentPreference;
  readonly Architectures?: List<Value<string>>;
  readonly ReservedConcurrentExecutions?: Value<number>;
  readonly Layers?: List<Value<string>>;
  readonly Tags?: Record<string, Value<string>>;
  readonly VpcConfig?: { readonly SecurityGroupIds: List<Value<string>>; readonly SubnetIds: List<Value<string>> };
  readonly DeadLetterQueue?: { readonly Type: 'SNS' | 'SQS'; readonly TargetArn: Value<string> };
  readonly LoggingConfig?: Record<string, unknown>;
}

/** AWS::Serverless::Api properties. */
export interface ApiProperties {
  readonly StageName: Value<string>;
  readonly Name?: Value<string>;
  readonly Description?: Value<string>;
  readonly DefinitionBody?: Record<string, unknown>;
  readonly DefinitionUri?: Value<string> | S3Location;
  readonly TracingEnabled?: Value<boolean>;
  readonly MethodSettings?: List<Record<string, unknown>>;
  readonly Variables?: Record<string, Value<string>>;
  readonly EndpointConfiguration?: Value<string> | Record<string, unknown>;
  readonly OpenApiVersion?: Value<string>;
  readonly AccessLogSetting?: { readonly DestinationArn: Value<string>; readonly Format: Value<string> };
  readonly Cors?: Value<string> | Record<string, unknown>;
  readonly Auth?: Record<string, unknown>;
  readonly Tags?: Record<string, Value<string>>;
}

/** AWS::Serverless::Application properties. */
export interface ApplicationProperties {
  /** A local template path (rewritten by `dataless package`), an S3 URL, or a Serverless Application Repository id. */
  readonly Location: Value<string> | { readonly ApplicationId: Value<string>; readonly SemanticVersion: Value<string> };
  readonly Parameters?: Record<string, Value<string> | Value<number>>;
  readonly NotificationARNs?: List<Value<string>>;
  readonly Tags?: Record<string, Value<string>>;
  readonly TimeoutInMinutes?: Value<number>;
}

/** AWS::Serverless::SimpleTable properties. */
export interface SimpleTableProperties {
  readonly PrimaryKey?: { readonly Name: Value<string>; readonly Type: 'String' | 'Number' | 'Binary' };
  readonly ProvisionedThroughput?: {
    readonly ReadCapacityUnits: Value<number>;
    readonly WriteCapacityUnits: Value<number>;
  };
  readonly TableName?: Value<string>;
  readonly SSESpecification?: { readonly SSEEnabled: Value<boolean> };
  readonly Tags?: Record<string, Value<string>>;
}

/** The `Globals` section: defaults SAM applies to every resource of a kind. */
export interface Globals {
  readonly Function?: Partial<FunctionProperties>;
  readonly Api?: Partial<ApiProperties>;
  readonly SimpleTable?: Partial<SimpleTableProperties>;
}

/** SAM resource types mapped to their properties. */
export interface SamResourceTypes {
  'AWS::Serverless::Function': FunctionProperties;
  'AWS::Serverless::Api': ApiProperties;
  'AWS::Serverless::Application': ApplicationProperties;
  'AWS::Serverless::SimpleTable': SimpleTableProperties;
}

/**
 * The resources SAM generates for its resource types that a template may
 * `Ref` as `Id.Property`: a function's published `Alias` and `Version`, an
 * API's `Stage` and `Deployment`.
 */
export const SAM_REF_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  'AWS::Serverless::Function': ['Alias', 'Version'],
  'AWS::Serverless::Api': ['Stage', 'Deployment'],
};

/**
 * `!Ref Id.Property` to a resource SAM generates, e.g. a function's alias
 * (its ARN, with `AutoPublishAlias`) or an API's stage (its name). Inside
 * `sub` it becomes a named variable, which is how cfn-lint and SAM read it.
 */
export function samRef(resource: Resource<'AWS::Serverless::Function'>, property: 'Alias' | 'Version'): Intrinsic;
export function samRef(resource: Resource<'AWS::Serverless::Api'>, property: 'Stage' | 'Deployment'): Intrinsic;
export function samRef(resource: { readonly logicalId: string }, property: string): Intrinsic {
  return new Intrinsic('Ref', `${resource.logicalId}.${property}`);
}
