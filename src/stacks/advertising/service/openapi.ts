// A small typed subset of OpenAPI 3.0 plus the API Gateway extensions the
// advertising API uses, and a builder that hands back `$ref`s only for
// schemas it holds, so a reference to an undeclared schema cannot be built.
import { TemplateError } from '../../../errors';
import { subWith, type Intrinsic, type Value } from '../../../cfn/intrinsics';

export interface Reference {
  readonly $ref: string;
}

/** A JSON schema as OpenAPI 3.0 and API Gateway's request validation (draft 4) understand it. */
export interface Schema {
  readonly type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  readonly description?: string;
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, SchemaOrRef>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly items?: SchemaOrRef;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export type SchemaOrRef = Schema | Reference;

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header';
  readonly description: string;
  readonly required: boolean;
  readonly schema: SchemaOrRef;
}

export interface MediaType {
  readonly schema: SchemaOrRef;
}

export interface RequestBody {
  readonly description: string;
  readonly required: boolean;
  readonly content: Readonly<Record<string, MediaType>>;
}

export interface Response {
  readonly description: string;
  readonly content?: Readonly<Record<string, MediaType>>;
}

/** `x-amazon-apigateway-integration` for a Lambda proxy integration. */
export interface LambdaProxyIntegration {
  readonly type: 'aws_proxy';
  /** Lambda is always invoked with POST, whatever the client's method. */
  readonly httpMethod: 'POST';
  readonly uri: Intrinsic;
  /** The role API Gateway assumes to invoke the function. */
  readonly credentials: Value<string>;
  readonly passthroughBehavior: 'when_no_match' | 'when_no_templates' | 'never';
}

export interface Operation {
  readonly summary: string;
  readonly description?: string;
  readonly operationId: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: RequestBody;
  readonly responses: Readonly<Record<string, Response>>;
  /** Who may call it: the security schemes required, or an intrinsic that chooses them. @default the document's (none) */
  readonly security?: readonly Readonly<Record<string, readonly string[]>>[] | Intrinsic;
  readonly 'x-amazon-apigateway-integration': LambdaProxyIntegration;
}

/** API Gateway's IAM authorization: the caller signs the request with SigV4 and needs execute-api:Invoke. */
export interface SigV4Scheme {
  readonly type: 'apiKey';
  readonly name: 'Authorization';
  readonly in: 'header';
  readonly 'x-amazon-apigateway-authtype': 'awsSigv4';
}

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

/** `x-amazon-apigateway-gateway-responses` entry: what API Gateway itself answers, e.g. on failed validation. */
export interface GatewayResponse {
  readonly statusCode: number;
  readonly responseTemplates: Readonly<Record<string, string>>;
}

export interface RequestValidator {
  readonly validateRequestBody: boolean;
  readonly validateRequestParameters: boolean;
}

export interface Info {
  readonly title: string;
  readonly version: string;
  readonly description?: string;
}

/** The document, as inlined into the API's DefinitionBody. */
export interface OpenApiDocument {
  readonly openapi: string;
  readonly info: Info;
  readonly paths: Record<string, Partial<Record<Method, Operation>>>;
  readonly components: {
    readonly schemas: Record<string, Schema>;
    readonly securitySchemes?: Record<string, SigV4Scheme>;
  };
  readonly 'x-amazon-apigateway-request-validators'?: Record<string, RequestValidator>;
  readonly 'x-amazon-apigateway-request-validator'?: string;
  readonly 'x-amazon-apigateway-gateway-responses'?: Record<string, GatewayResponse>;
}

/** The OpenAPI version written; also SAM's `OpenApiVersion`, which keeps SAM from adding a stray "Stage" stage. */
export const OPENAPI_VERSION = '3.0.1';

/** API Gateway turns each component schema into a model, whose name must be alphanumeric. */
const SCHEMA_NAME = /^[A-Za-z0-9]+$/;

/** Builds one OpenAPI document. */
export class OpenApi {
  private readonly schemas = new Map<string, Schema>();
  private readonly paths = new Map<string, Partial<Record<Method, Operation>>>();
  private readonly validators = new Map<string, RequestValidator>();
  private defaultValidator: string | undefined;
  private readonly gatewayResponses = new Map<string, GatewayResponse>();
  private readonly securitySchemes = new Map<string, SigV4Scheme>();

  constructor(private readonly info: Info) {}

  /** Declares a component schema and returns a `$ref` to it. */
  schema(name: string, schema: Schema): Reference {
    if (!SCHEMA_NAME.test(name))
      throw new TemplateError(
        `openapi: schema name '${name}' may hold only letters and digits (API Gateway model names)`,
      );
    if (this.schemas.has(name)) throw new TemplateError(`openapi: schema ${name} is declared twice`);
    this.schemas.set(name, schema);
    return { $ref: `#/components/schemas/${name}` };
  }

  /** Adds an operation; a path and method may carry only one. */
  operation(path: string, method: Method, operation: Operation): void {
    if (!path.startsWith('/')) throw new TemplateError(`openapi: path '${path}' must start with '/'`);
    const item = this.paths.get(path) ?? {};
    if (item[method]) throw new TemplateError(`openapi: ${method.toUpperCase()} ${path} is declared twice`);
    for (const name of path.match(/\{[^}]+\}/g) ?? []) {
      const inPath = (operation.parameters ?? []).some((p) => p.in === 'path' && `{${p.name}}` === name && p.required);
      if (!inPath)
        throw new TemplateError(
          `openapi: ${method.toUpperCase()} ${path} needs a required path parameter ${name.slice(1, -1)}`,
        );
    }
    this.paths.set(path, { ...item, [method]: operation });
  }

  /** Declares a security scheme and hands back the requirement an operation's `security` lists. */
  securityScheme(name: string, scheme: SigV4Scheme): Readonly<Record<string, readonly string[]>> {
    this.securitySchemes.set(name, scheme);
    return { [name]: [] };
  }

  /** Declares a request validator; `byDefault` applies it to every operation. */
  validator(name: string, validator: RequestValidator, byDefault = false): void {
    this.validators.set(name, validator);
    if (byDefault) this.defaultValidator = name;
  }

  /** Sets what API Gateway answers for one of its own response types, e.g. BAD_REQUEST_BODY. */
  gatewayResponse(type: string, response: GatewayResponse): void {
    this.gatewayResponses.set(type, response);
  }

  toJSON(): OpenApiDocument {
    return {
      openapi: OPENAPI_VERSION,
      info: this.info,
      paths: Object.fromEntries(this.paths),
      components: {
        schemas: Object.fromEntries(this.schemas),
        ...(this.securitySchemes.size > 0 ? { securitySchemes: Object.fromEntries(this.securitySchemes) } : {}),
      },
      ...(this.validators.size > 0
        ? { 'x-amazon-apigateway-request-validators': Object.fromEntries(this.validators) }
        : {}),
      ...(this.defaultValidator ? { 'x-amazon-apigateway-request-validator': this.defaultValidator } : {}),
      ...(this.gatewayResponses.size > 0
        ? { 'x-amazon-apigateway-gateway-responses': Object.fromEntries(this.gatewayResponses) }
        : {}),
    };
  }
}

/** A JSON request or response body. */
export function json(schema: SchemaOrRef): Readonly<Record<string, MediaType>> {
  return { 'application/json': { schema } };
}

/**
 * A Lambda proxy integration invoking `functionArn` (for the API, a SAM
 * `Fn.Alias` reference, so that CodeDeploy's traffic shifting applies to API
 * calls) through the role `credentials`.
 */
export function lambdaProxy(functionArn: Value<string>, credentials: Value<string>): LambdaProxyIntegration {
  return {
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri: subWith(
      'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations',
      {
        FunctionArn: functionArn,
      },
    ),
    credentials,
    passthroughBehavior: 'when_no_match',
  };
}
