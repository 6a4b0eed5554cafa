// JSONata in state machine definitions. Step Functions evaluates a string of
// the form `{% expression %}` where a JSONata state takes a value; everything
// else is a literal. Expressions are assembled here from literal text and
// sub-expressions, so that quoting is done once, right.
import { TemplateError } from '../../../../errors';

/** A JSONata expression as a state field holds it: `{% expression %}`. */
export type Jsonata = `{% ${string} %}`;

/** A JSONata sub-expression, such as `$run.year` or `$states.input.Id`, to combine into a larger one. */
export class Expr {
  constructor(readonly text: string) {
    if (!text.trim()) throw new TemplateError('a JSONata expression is empty; give the expression to evaluate');
    // Kept to one line: definitions are easier to read, and validators match `{% ... %}` line by line.
    if (/[\r\n]/.test(text))
      throw new TemplateError(`JSONata expression ${JSON.stringify(text)} spans lines; write it on one line`);
    if (text.includes('%}'))
      throw new TemplateError(
        `JSONata expression ${JSON.stringify(text)} contains '%}', which ends the expression early`,
      );
  }
  toString(): string {
    return this.text;
  }
}

/** A sub-expression. */
export function expr(text: string): Expr {
  return new Expr(text);
}

/** The whole field value `{% expression %}`. */
export function jsonata(expression: string | Expr): Jsonata {
  const e = expression instanceof Expr ? expression : new Expr(expression);
  return `{% ${e.text} %}`;
}

/** A JSONata string literal for `text`: single-quoted unless the text holds a single quote (JSONata has no `\'`). */
export function quote(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return text.includes("'") ? `"${escaped.replace(/"/g, '\\"')}"` : `'${escaped}'`;
}

/** One part of a concatenation: literal text or a sub-expression. */
export type Part = string | Expr;

/** The sub-expression that joins literal text and sub-expressions into one string with `&`. */
export function concatExpr(...parts: readonly Part[]): Expr {
  const merged: Part[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const last = merged[merged.length - 1];
    if (typeof part === 'string' && typeof last === 'string') merged[merged.length - 1] = last + part;
    else merged.push(part);
  }
  if (merged.length === 0) return expr("''");
  // `&` turns numbers into text by itself; anything beyond a plain path is parenthesised against precedence.
  const operand = (p: Expr) => (/^[$\w.]+$/.test(p.text) ? p.text : `(${p.text})`);
  return expr(merged.map((p) => (typeof p === 'string' ? quote(p) : operand(p))).join(' & '));
}

/** `{% ... %}` of a concatenation of literal text and sub-expressions. */
export function concat(...parts: readonly Part[]): Jsonata {
  return jsonata(concatExpr(...parts));
}
