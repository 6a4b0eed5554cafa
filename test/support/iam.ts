// Decides whether IAM policy statements allow a call, the way IAM matches an
// identity policy: an Allow statement whose Action and Resource patterns match
// (`*` any run of characters, `?` one) and whose Condition holds for the
// call's request context. Deny statements, NotAction and NotResource are not
// used by the stacks and are refused rather than ignored.

type Json = Record<string, any>;

/** One API call as IAM authorises it. */
export interface Call {
  /** `service:Action`, e.g. `glue:StartJobRun`. */
  readonly action: string;
  /** The ARN the call is authorised against, or `*` for calls that take no resource. */
  readonly resource: string;
  /** Request context keys the call carries, e.g. `iam:PassedToService`. @default none */
  readonly context?: Readonly<Record<string, string>>;
}

function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, caseInsensitive ? 'i' : '');
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).map(String);

/** A policy variable such as `${aws:userid}` replaced from the context. */
function withVariables(value: string, context: Readonly<Record<string, string>>): string {
  return value.replace(/\$\{([^}]+)\}/g, (whole, key: string) => context[key] ?? whole);
}

function conditionHolds(condition: Json | undefined, context: Readonly<Record<string, string>>): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, tests]) => {
    if (operator !== 'StringEquals' && operator !== 'StringLike')
      throw new Error(`condition operator ${operator} is not modelled here`);
    return Object.entries(tests as Json).every(([key, expected]) => {
      const actual = context[key];
      if (actual === undefined) return false;
      return list(expected).some((e) => {
        const value = withVariables(e, context);
        return operator === 'StringEquals' ? actual === value : globToRegExp(value, false).test(actual);
      });
    });
  });
}

/** The statements, each with its Action and Resource as lists, that allow `call`. */
export function allowingStatements(statements: readonly Json[], call: Call): Json[] {
  return statements.filter((s) => {
    if (s.Effect !== 'Allow')
      throw new Error(`statement ${s.Sid ?? JSON.stringify(s)} is not an Allow; only Allow is modelled here`);
    if (s.NotAction || s.NotResource)
      throw new Error(`statement ${s.Sid}: NotAction and NotResource are not modelled here`);
    const actionMatches = list(s.Action).some((a) => globToRegExp(a, true).test(call.action));
    const resourceMatches = list(s.Resource).some((r) => globToRegExp(r, false).test(call.resource));
    return actionMatches && resourceMatches && conditionHolds(s.Condition, call.context ?? {});
  });
}

/** True when some statement allows the call. */
export function allows(statements: readonly Json[], call: Call): boolean {
  return allowingStatements(statements, call).length > 0;
}
