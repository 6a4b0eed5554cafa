// What the local run needs to know about the warehouse, read from the
// generated templates: the root application template evaluated with the
// branch's configuration, and every nested stack it creates.
import { existsSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { TemplateError } from '../../errors';
import { asText, at, isJson, listAt, objectAt, textAt, type Json } from '../json';
import { LocalStack } from './stack';

/** The root template the local run starts from. */
export const ROOT_TEMPLATE = 'templates-out/app.yaml';
/** The local deployment's root stack name (a deployed branch is `dataless-<branch>`). */
export const LOCAL_STACK_NAME = 'dataless-local';
/** Where job code "is" locally: `s3://<CodeBucket>/<CodePrefix>/<path>` is `<path>` in the repository. */
export const LOCAL_CODE = { bucket: 'dataless-local-code', prefix: 'local' } as const;

/**
 * The values of the parameters only a build fills in, for the local run: the
 * code bucket and prefix map job scripts back to the repository.
 */
export function localBuildParameters(region: string): Record<string, string> {
  return {
    CodePipeline: 'local',
    BuildRegion: region,
    SourceVersion: 'local',
    Build: 'local',
    CodeBucket: LOCAL_CODE.bucket,
    CodePrefix: LOCAL_CODE.prefix,
  };
}

/** A delivery stream as the template declares it. */
export interface DeliveryStream {
  readonly logicalId: string;
  readonly name: string;
  readonly bucket: string;
  /** Key prefix, e.g. `data/raw/ad/impressions/`. */
  readonly prefix: string;
  /** `UNCOMPRESSED`, `GZIP`, ... */
  readonly compression: string;
  readonly bufferSeconds: number;
  readonly bufferMegabytes: number;
}

/** A DynamoDB table as the template declares it. */
export interface KeyValueTable {
  readonly logicalId: string;
  readonly name: string;
  readonly keySchema: ReadonlyArray<{ AttributeName: string; KeyType: 'HASH' | 'RANGE' }>;
  readonly attributeDefinitions: ReadonlyArray<{ AttributeName: string; AttributeType: 'S' | 'N' | 'B' }>;
  readonly billingMode: string;
  /** Read and write capacity, when provisioned. */
  readonly provisionedThroughput?: { readonly ReadCapacityUnits: number; readonly WriteCapacityUnits: number };
}

/** A Glue catalogue table as the template declares it (TableInput, evaluated). */
export interface CatalogTable {
  readonly database: string;
  readonly input: Json;
}

/** A function, with what running it locally needs. */
export interface LocalFunction {
  readonly logicalId: string;
  readonly name: string;
  /** Absolute path of the bundled handler's module. */
  readonly module: string;
  /** The handler's export name. */
  readonly exportName: string;
  /** The environment variables the template declares (Globals and the function's own), evaluated. */
  readonly environment: Readonly<Record<string, string>>;
  readonly timeoutSeconds: number;
}

/** One route of an API definition. */
export interface Route {
  readonly method: string;
  /** OpenAPI path template, e.g. `/traffic/{ad-id}`. */
  readonly path: string;
  /** The operation object of the definition. */
  readonly operation: Json;
  readonly function: LocalFunction;
}

/** An API and its routes. */
export interface LocalApi {
  readonly logicalId: string;
  /** The stage name the API is deployed to. */
  readonly stage: string;
  /** The OpenAPI definition as written (schemas, validators, gateway responses). */
  readonly definition: Json;
  readonly routes: readonly Route[];
}

/** The warehouse's templates, evaluated for the local run. */
export class Warehouse {
  /** Every stack of the deployment, root first. */
  readonly stacks: readonly LocalStack[];

  constructor(readonly root: LocalStack) {
    const stacks: LocalStack[] = [];
    const walk = (stack: LocalStack) => {
      stacks.push(stack);
      for (const [id] of stack.resources('AWS::Serverless::Application', 'AWS::CloudFormation::Stack'))
        walk(stack.nested(id));
    };
    walk(root);
    this.stacks = stacks;
  }

  /** Opens the root template under `root` with the branch's parameters. */
  static open(root: string, parameters: Readonly<Record<string, string>>, region: string): Warehouse {
    return new Warehouse(
      LocalStack.open(root, ROOT_TEMPLATE, LOCAL_STACK_NAME, { ...parameters, ...localBuildParameters(region) }),
    );
  }

  /** Every resource of the given types in every stack, with the stack that declares it. */
  each(...types: string[]): Array<{ stack: LocalStack; id: string; resource: Json }> {
    return this.stacks.flatMap((stack) => stack.resources(...types).map(([id, resource]) => ({ stack, id, resource })));
  }

  /** The buckets the stacks create. */
  buckets(): string[] {
    return this.each('AWS::S3::Bucket').map(({ stack, id }) => stack.physicalName(id));
  }

  /** The delivery streams to S3, with their prefix, compression and buffering. */
  deliveryStreams(): DeliveryStream[] {
    return this.each('AWS::KinesisFirehose::DeliveryStream').map(({ stack, id, resource }) => {
      const destination =
        at(resource, 'Properties', 'ExtendedS3DestinationConfiguration') ??
        at(resource, 'Properties', 'S3DestinationConfiguration');
      if (!isJson(destination))
        throw new TemplateError(
          `${stack.path}: delivery stream ${id} has no S3 destination; the local run delivers only to S3`,
          'LOCAL_TEMPLATE',
        );
      const arn = stack.text(destination.BucketARN, `${id} BucketARN`);
      return {
        logicalId: id,
        name: stack.physicalName(id),
        bucket: arn.slice(arn.lastIndexOf(':') + 1),
        prefix: required(stack, id, destination, 'Prefix'),
        compression:
          destination.CompressionFormat === undefined
            ? 'UNCOMPRESSED'
            : stack.text(destination.CompressionFormat, `${id} CompressionFormat`),
        bufferSeconds: Number(stack.resolve(at(destination, 'BufferingHints', 'IntervalInSeconds') ?? 300)),
        bufferMegabytes: Number(stack.resolve(at(destination, 'BufferingHints', 'SizeInMBs') ?? 5)),
      };
    });
  }

  /** The DynamoDB tables, with their keys. */
  keyValueTables(): KeyValueTable[] {
    return this.each('AWS::DynamoDB::Table').map(({ stack, id, resource }) => {
      const properties = objectAt(stack.resolve(resource.Properties ?? {}));
      if (!Array.isArray(properties.KeySchema))
        throw new TemplateError(`${stack.path}: table ${id} declares no KeySchema`, 'LOCAL_TEMPLATE');
      const throughput = properties.ProvisionedThroughput;
      return {
        logicalId: id,
        name: stack.physicalName(id),
        keySchema: properties.KeySchema as KeyValueTable['keySchema'],
        attributeDefinitions: listAt(properties, 'AttributeDefinitions') as KeyValueTable['attributeDefinitions'],
        billingMode: textAt(properties, 'BillingMode') ?? 'PROVISIONED',
        ...(isJson(throughput)
          ? {
              provisionedThroughput: {
                ReadCapacityUnits: Number(throughput.ReadCapacityUnits),
                WriteCapacityUnits: Number(throughput.WriteCapacityUnits),
              },
            }
          : {}),
      };
    });
  }

  /** The Glue databases and tables. */
  catalog(): { databases: Json[]; tables: CatalogTable[] } {
    const databases = this.each('AWS::Glue::Database').map(({ stack, resource }) =>
      objectAt(stack.resolve(at(resource, 'Properties', 'DatabaseInput'))),
    );
    const tables = this.each('AWS::Glue::Table').map(({ stack, id, resource }) => ({
      database: stack.text(at(resource, 'Properties', 'DatabaseName'), `${id} DatabaseName`),
      input: objectAt(stack.resolve(at(resource, 'Properties', 'TableInput'))),
    }));
    return { databases, tables };
  }

  /** A function of a stack, with what running it locally needs. */
  function(stack: LocalStack, id: string): LocalFunction {
    const resource = stack.resource(id);
    // SAM: a function's own property, else the template's Globals.
    const property = (name: string) =>
      at(resource, 'Properties', name) ?? at(stack.template, 'Globals', 'Function', name);
    const codeUri = stack.text(property('CodeUri'), `${id} CodeUri`);
    const handler = stack.text(property('Handler'), `${id} Handler`);
    const dot = handler.lastIndexOf('.');
    // bundle-lambdas writes each zip's contents beside it, in a folder of the same name.
    const bundle = join(this.root.root, dirname(stack.path), codeUri.replace(/\.zip$/, ''));
    const module = join(bundle, `${handler.slice(0, dot)}.js`);
    if (!existsSync(module)) {
      throw new TemplateError(
        `the bundle of ${id} is missing (${relative(this.root.root, module)}); run \`npm run build\``,
        'LOCAL_BUNDLE_MISSING',
      );
    }
    const variables = (value: unknown) =>
      Object.fromEntries(Object.entries(objectAt(stack.resolve(value))).map(([name, text]) => [name, asText(text)]));
    return {
      logicalId: id,
      name: stack.physicalName(id),
      module,
      exportName: handler.slice(dot + 1),
      environment: {
        ...variables(at(stack.template, 'Globals', 'Function', 'Environment', 'Variables')),
        ...variables(at(resource, 'Properties', 'Environment', 'Variables')),
      },
      timeoutSeconds: Number(stack.resolve(property('Timeout') ?? 3)),
    };
  }

  /** The APIs (SAM Api resources with an OpenAPI DefinitionBody) and their routes. */
  apis(): LocalApi[] {
    return this.each('AWS::Serverless::Api').map(({ stack, id, resource }) => {
      const definition = at(resource, 'Properties', 'DefinitionBody');
      if (!isJson(definition) || !isJson(definition.paths)) {
        throw new TemplateError(
          `${stack.path}: API ${id} has no DefinitionBody with paths; the local API serves only inline OpenAPI definitions`,
          'LOCAL_TEMPLATE',
        );
      }
      const routes: Route[] = [];
      for (const [path, item] of Object.entries(definition.paths)) {
        for (const [method, operation] of Object.entries(objectAt(item))) {
          if (!HTTP_METHODS.has(method) || !isJson(operation)) continue;
          const integration = objectAt(operation, 'x-amazon-apigateway-integration');
          if (integration.type !== 'aws_proxy') {
            throw new TemplateError(
              `${stack.path}: ${method.toUpperCase()} ${path} is not a Lambda proxy integration; the local API serves only those`,
              'LOCAL_TEMPLATE',
            );
          }
          const functionId = integratedFunction(stack, integration.uri);
          if (!functionId)
            throw new TemplateError(
              `${stack.path}: ${method.toUpperCase()} ${path} integrates with no function of the template`,
              'LOCAL_TEMPLATE',
            );
          routes.push({ method: method.toUpperCase(), path, operation, function: this.function(stack, functionId) });
        }
      }
      return {
        logicalId: id,
        stage: stack.text(at(resource, 'Properties', 'StageName'), `${id} StageName`),
        definition,
        routes,
      };
    });
  }

  /** The state machines, with DefinitionSubstitutions applied as Step Functions applies them. */
  stateMachines(): Array<{ logicalId: string; stack: LocalStack; definition: Json }> {
    return this.each('AWS::StepFunctions::StateMachine').map(({ stack, id, resource }) => {
      const substitutions = Object.fromEntries(
        Object.entries(objectAt(stack.resolve(at(resource, 'Properties', 'DefinitionSubstitutions')))).map(
          ([name, value]) => [name, asText(value)],
        ),
      );
      const definition = at(resource, 'Properties', 'Definition');
      if (!isJson(definition))
        throw new TemplateError(`${stack.path}: state machine ${id} has no inline Definition`, 'LOCAL_TEMPLATE');
      return { logicalId: id, stack, definition: objectAt(substitute(definition, substitutions)) };
    });
  }
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

function required(stack: LocalStack, id: string, properties: Json, name: string): string {
  if (properties[name] === undefined)
    throw new TemplateError(`${stack.path}: ${id} declares no ${name}`, 'LOCAL_TEMPLATE');
  return stack.text(properties[name], `${id} ${name}`);
}

/** The logical id of the function an integration URI refers to (through Ref, GetAtt or Sub). */
function integratedFunction(stack: LocalStack, uri: unknown): string | undefined {
  const names: string[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(collect);
    if (!isJson(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') names.push(inner);
      else if (key === 'Fn::GetAtt') names.push(asText(Array.isArray(inner) ? inner[0] : inner));
      else if (key === 'Fn::Sub') {
        const text = asText(Array.isArray(inner) ? inner[0] : inner);
        for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) names.push(match[1]!);
        if (Array.isArray(inner)) collect(inner[1]);
      } else collect(inner);
    }
  };
  collect(uri);
  const functions = new Set(stack.resources('AWS::Serverless::Function', 'AWS::Lambda::Function').map(([id]) => id));
  return names.map((name) => name.split('.')[0]!).find((id) => functions.has(id));
}

/** `${Name}` replaced in every string of a value, for the names `substitutions` holds. */
export function substitute(value: unknown, substitutions: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string')
    return value.replace(/\$\{([A-Za-z0-9_]+)\}/g, (whole, name: string) => substitutions[name] ?? whole);
  if (Array.isArray(value)) return value.map((item) => substitute(item, substitutions));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, substitutions)]));
  return value;
}

/** The repository file an `s3://<CodeBucket>/<CodePrefix>/<path>` location stands for locally, or undefined. */
export function localCodePath(root: string, location: string): string | undefined {
  const prefix = `s3://${LOCAL_CODE.bucket}/${LOCAL_CODE.prefix}/`;
  if (!location.startsWith(prefix)) return undefined;
  return join(root, ...posix.normalize(location.slice(prefix.length)).split('/'));
}
