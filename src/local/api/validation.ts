// The request validation an OpenAPI definition asks API Gateway for
// (x-amazon-apigateway-request-validators), done as API Gateway does it:
// required parameters must be present and non-empty (their schemas are not
// checked), and a JSON body must match its model (JSON Schema draft 4; the
// `format` keyword is not enforced). A refusal is answered with the
// definition's gateway response for it, or API Gateway's default.
import Ajv, { type ValidateFunction } from 'ajv';
import { at, isJson, listAt, objectAt, textAt, type Json } from '../json';

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
    this.ajv.addSchema({ components: objectAt(definition, 'components') }, 'definition');
  }

  /** The refusal for a request to `operation`, or undefined when it passes. */
  check(operation: Json, request: RequestParts): Refusal | undefined {
    const name =
      textAt(operation, 'x-amazon-apigateway-request-validator') ??
      textAt(this.definition, 'x-amazon-apigateway-request-validator');
    if (name === undefined) return undefined;
    const validator = at(this.definition, 'x-amazon-apigateway-request-validators', name);
    if (!isJson(validator)) return undefined;
    if (validator.validateRequestParameters === true) {
      const missing = listAt(operation, 'parameters')
        .filter((parameter) => at(parameter, 'required') === true)
        .map((parameter) => ({ in: textAt(parameter, 'in'), name: textAt(parameter, 'name') ?? '' }))
        .filter((parameter) => {
          const where: Readonly<Record<string, string>> =
            parameter.in === 'query'
              ? request.query
              : parameter.in === 'header'
                ? request.headers
                : parameter.in === 'path'
                  ? request.path
                  : {};
          const value = where[parameter.in === 'header' ? parameter.name.toLowerCase() : parameter.name];
          return value === undefined || value === '';
        })
        .map((parameter) => parameter.name);
      if (missing.length > 0)
        return {
          response: 'BAD_REQUEST_PARAMETERS',
          message: `Missing required request parameters: [${missing.join(', ')}]`,
        };
    }
    const requestBody = operation.requestBody;
    if (validator.validateRequestBody === true && isJson(requestBody)) {
      const validate = this.bodyValidator(requestBody);
      if (validate) {
        let body: unknown;
        try {
          body = request.body === null || request.body === '' ? undefined : JSON.parse(request.body);
        } catch {
          return { response: 'BAD_REQUEST_BODY', message: 'Invalid request body' };
        }
        if (body === undefined ? requestBody.required === true : !validate(body))
          return { response: 'BAD_REQUEST_BODY', message: 'Invalid request body' };
      }
    }
    return undefined;
  }

  /** The answer API Gateway gives for a refusal: the definition's gateway response, else its default. */
  answer(refusal: Refusal): { statusCode: number; body: string } {
    const response = at(this.definition, 'x-amazon-apigateway-gateway-responses', refusal.response);
    const template = textAt(response, 'responseTemplates', 'application/json');
    const message = JSON.stringify(refusal.message);
    return {
      statusCode: Number(at(response, 'statusCode') ?? 400),
      body: template
        ? template
            .replace(/\$context\.error\.messageString/g, message)
            .replace(/\$context\.error\.message/g, refusal.message)
        : `{"message": ${message}}`,
    };
  }

  private bodyValidator(requestBody: Json): ValidateFunction | null {
    const known = this.bodies.get(requestBody);
    if (known !== undefined) return known;
    const schema = at(requestBody, 'content', 'application/json', 'schema');
    const validate = isJson(schema) ? this.ajv.compile(objectAt(rebase(schema))) : null;
    this.bodies.set(requestBody, validate);
    return validate;
  }
}

/** A schema whose `#/components/...` references point into the definition registered as `definition`. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema && typeof schema === 'object') {
    return Object.fromEntries(
      Object.entries(schema).map(([key, value]) => [
        key,
        key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `definition${value}` : rebase(value),
      ]),
    );
  }
  return schema;
}
