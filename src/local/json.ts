// Reading loose JSON (a parsed template, an API definition, a state machine,
// an SDK answer) without `any`: every step down checks what is there.

/** A JSON object as read, members unchecked. */
export type Json = { readonly [key: string]: unknown };

export function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The member at `path` below `value`, or undefined when any step is missing. */
export function at(value: unknown, ...path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key] as unknown;
    else if (isJson(current) && typeof key === 'string') current = current[key];
    else return undefined;
  }
  return current;
}

/** The object at `path`; an empty one when it is missing or not an object. */
export function objectAt(value: unknown, ...path: readonly (string | number)[]): Json {
  const found = at(value, ...path);
  return isJson(found) ? found : {};
}

/** The list at `path`; an empty one when it is missing or not a list. */
export function listAt(value: unknown, ...path: readonly (string | number)[]): unknown[] {
  const found = at(value, ...path);
  return Array.isArray(found) ? (found as unknown[]) : [];
}

/** The text at `path`, or undefined when it is missing or not text. */
export function textAt(value: unknown, ...path: readonly (string | number)[]): string | undefined {
  const found = at(value, ...path);
  return typeof found === 'string' ? found : undefined;
}

/** A scalar as text (numbers and booleans as JSON writes them); objects and lists as JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
