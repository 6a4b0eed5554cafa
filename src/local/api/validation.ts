// The request validation an OpenAPI definition asks API Gateway for
// (x-amazon-apigateway-request-validators), done as API Gateway does it:
// required parameters must be present and non-empty (their schemas are not
// checked), and a JSON body must match its model (JSON Schema draft 4; the
// `format` keyword is not enforced). A refusal is answered with the
// definition's gateway response for it, or API Gateway's default.
import Ajv, { type ValidateFunction } from 'ajv';

type Json = Record<string, any>;

/** A refused request: which gateway response answers it and with what message. */
export interface Refusal {
  readonly response: 'BAD_REQUEST_BODY' | 'BAD_REQUEST_PARAMETERS';
  readonly message: string;
}

/** What a request brings that validation looks at. */
export interface RequestParts {
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly path: Readonly<Record<string, string>>;
  readonly body: string | null;
}

/** Validates requests against one definition's operations. */
export class RequestValidator {
  private readonly ajv: Ajv;
  private readonly bodies = new Map<Json, ValidateFunction | null>();

  constructor(private readonly definition: Json) {
    this.ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });
    this.ajv.addSchema({ components: definition.components ?? {} }, 'definition');
  }

  /** The refusal for a request to `operation`, or undefined when it passes. */
  check(operation: Json, request: RequestParts): Refusal | undefined {
    const name = operation['x-amazon-apigateway-request-validator'] ?? this.definition['x-amazon-apigateway-request-validator'];
    if (name === undefined) return undefined;
    const validator = this.definition['x-amazon-apigateway-request-validators']?.[name] as Json | undefined;
    if (!validator) return undefined;
    if (validator.validateRequestParameters) {
      const missing = ((operation.parameters ?? []) as Json[])
        .filter((parameter) => parameter.required)
        .filter((parameter) => {
          const where = parameter.in === 'query' ? request.query : parameter.in === 'header' ? request.headers : parameter.in === 'path' ? request.path : {};
          const value = where[parameter.in === 'header' ? String(parameter.name).toLowerCase() : parameter.name];
          return value === undefined || value === '';
        })
        .map((parameter) => parameter.name as string);
      if (missing.length > 0) return { response: 'BAD_REQUEST_PARAMETERS', message: `Missing required request parameters: [${missing.join(', ')}]` };
    }
    if (validator.validateRequestBody && operation.requestBody) {
      const validate = this.bodyValidator(operation.requestBody);
      if (validate) {
        let body: unknown;
        try {
          body = request.body === null || request.body === '' ? undefined : JSON.parse(request.body);
        } catch {
          return { response: 'BAD_REQUEST_BODY', message: 'Invalid request body' };
        }
        if (body === undefined ? operation.requestBody.required : !validate(body)) return { response: 'BAD_REQUEST_BODY', message: 'Invalid request body' };
      }
    }
    return undefined;
  }

  /** The answer API Gateway gives for a refusal: the definition's gateway response, else its default. */
  answer(refusal: Refusal): { statusCode: number; body: string } {
    const response = this.definition['x-amazon-apigateway-gateway-responses']?.[refusal.response] as Json | undefined;
    const template = response?.responseTemplates?.['application/json'] as string | undefined;
    const message = JSON.stringify(refusal.message);
    return {
      statusCode: Number(response?.statusCode ?? 400),
      body: template ? template.replace(/\$context\.error\.messageString/g, message).replace(/\$context\.error\.message/g, refusal.message) : `{"message": ${message}}`,
    };
  }

  private bodyValidator(requestBody: Json): ValidateFunction | null {
    const known = this.bodies.get(requestBody);
    if (known !== undefined) return known;
    const schema = requestBody.content?.['application/json']?.schema as Json | undefined;
    const validate = schema ? this.ajv.compile(rebase(schema)) : null;
    this.bodies.set(requestBody, validate);
    return validate;
  }
}

/** A schema whose `#/components/...` references point into the definition registered as `definition`. */
function rebase(schema: unknown): any {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === 'object') {
    return Object.fromEntries(
      Object.entries(schema).map(([key, value]) => [key, key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `definition${value}` : rebase(value)]),
    );
  }
  return schema;
}
