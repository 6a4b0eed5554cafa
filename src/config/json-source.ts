// A JSON reader that remembers where every key and value sits in the text, so
// that a config problem can point at a line and column, and that reports
// syntax errors (and duplicate keys, which JSON.parse silently collapses)
// with a position of its own rather than the engine's changing wording.

/** A place in the text: 1-based line and column, 0-based offset. */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** A key that appears twice in one object. */
export interface DuplicateKey {
  /** JSON pointer of the value the key names. */
  readonly pointer: string;
  readonly first: SourceLocation;
  readonly second: SourceLocation;
}

/** A parsed JSON text with the location of everything in it. */
export interface JsonDocument {
  readonly value: unknown;
  /** Where each value starts, by JSON pointer (`''` is the whole document). */
  readonly values: ReadonlyMap<string, SourceLocation>;
  /** Where each object key starts, by the JSON pointer of its value. */
  readonly keys: ReadonlyMap<string, SourceLocation>;
  readonly duplicates: readonly DuplicateKey[];
}

/** The text is not JSON. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly location: SourceLocation,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Appends one key to a JSON pointer, escaping `~` and `/`. */
export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** The keys of a JSON pointer. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Parses JSON text, recording locations; throws JsonSyntaxError with the position of the first error. */
export function parseJsonDocument(text: string): JsonDocument {
  return new Reader(text).document();
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*/y;

class Reader {
  private pos = 0;
  private readonly lineStarts: number[] = [0];
  private readonly values = new Map<string, SourceLocation>();
  private readonly keys = new Map<string, SourceLocation>();
  private readonly duplicates: DuplicateKey[] = [];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1);
  }

  document(): JsonDocument {
    this.skipSpace();
    if (this.pos >= this.text.length) this.fail('the file holds no JSON value');
    const value = this.value('');
    this.skipSpace();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describeHere()} after the end of the JSON value`);
    return { value, values: this.values, keys: this.keys, duplicates: this.duplicates };
  }

  private value(pointer: string): unknown {
    this.values.set(pointer, this.location(this.pos));
    const c = this.text[this.pos];
    if (c === '{') return this.object(pointer);
    if (c === '[') return this.array(pointer);
    if (c === '"') return this.string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    for (const [word, result] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return result;
      }
    }
    if (c === "'") this.fail('strings must use double quotes (") in JSON');
    this.expected('a value (an object, array, string, number, true, false or null)');
  }

  private object(pointer: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const seen = new Map<string, SourceLocation>();
    this.pos++;
    this.skipSpace();
    if (this.peek('}')) return out;
    for (;;) {
      if (this.text[this.pos] !== '"') {
        if (this.text[this.pos] === '}') this.fail('a trailing comma before } is not allowed in JSON');
        this.expected('a property name in double quotes');
      }
      const keyAt = this.location(this.pos);
      const key = this.string();
      const child = childPointer(pointer, key);
      const first = seen.get(key);
      if (first) this.duplicates.push({ pointer: child, first, second: keyAt });
      seen.set(key, keyAt);
      this.keys.set(child, keyAt);
      this.skipSpace();
      if (!this.peek(':')) this.expected(`':' after the property name "${key}"`);
      this.skipSpace();
      // Defined rather than assigned, so a key such as "__proto__" stays a plain property.
      Object.defineProperty(out, key, {
        value: this.value(child),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      if (this.peek('}')) return out;
      if (!this.peek(',')) this.expected("',' or '}' after a property");
      this.skipSpace();
    }
  }

  private array(pointer: string): unknown[] {
    const out: unknown[] = [];
    this.pos++;
    this.skipSpace();
    if (this.peek(']')) return out;
    for (;;) {
      if (this.text[this.pos] === ']') this.fail('a trailing comma before ] is not allowed in JSON');
      out.push(this.value(childPointer(pointer, out.length)));
      this.skipSpace();
      if (this.peek(']')) return out;
      if (!this.peek(',')) this.expected("',' or ']' after an array element");
      this.skipSpace();
    }
  }

  private string(): string {
    const start = this.pos;
    STRING_BODY.lastIndex = start + 1;
    STRING_BODY.exec(this.text);
    const end = STRING_BODY.lastIndex;
    if (this.text[end] !== '"') {
      this.pos = end;
      if (end >= this.text.length) this.fail('unterminated string');
      const c = this.text[end]!;
      if (c === '\\') this.fail('invalid escape sequence in a string');
      this.fail(
        c === '\n'
          ? 'unterminated string (a line break inside a string must be written \\n)'
          : 'control character inside a string',
      );
    }
    this.pos = end + 1;
    return JSON.parse(this.text.slice(start, end + 1)) as string;
  }

  private number(): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) this.expected('a number');
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*'))
        this.fail('comments are not allowed in JSON');
      else return;
    }
  }

  private peek(c: string): boolean {
    if (this.text[this.pos] !== c) return false;
    this.pos++;
    return true;
  }

  private describeHere(): string {
    if (this.pos >= this.text.length) return 'end of file';
    const c = this.text[this.pos]!;
    return c.trim() === '' ? `character U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}` : `'${c}'`;
  }

  private expected(what: string): never {
    this.fail(`expected ${what}, found ${this.describeHere()}`);
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, this.location(this.pos));
  }

  /** Line and column of an offset, by binary search over the line starts. */
  location(offset: number): SourceLocation {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo]! + 1, offset };
  }
}
