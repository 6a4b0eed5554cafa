import { expect } from 'chai';
import { childPointer, JsonSyntaxError, parseJsonDocument, pointerSegments } from '../../src/config/json-source';

const syntaxError = (text: string): JsonSyntaxError => {
  try {
    parseJsonDocument(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
};

describe('parseJsonDocument', () => {
  it('reads the same values as JSON.parse', () => {
    const text = '{"a": [1, -2.5e3, "x\\u00e9\\n"], "b": {"c": null, "d": true, "e": false}, "": 0}';
    expect(parseJsonDocument(text).value).to.deep.equal(JSON.parse(text));
  });

  it('records the line and column of every key and value', () => {
    const text = '{\n  "Parameters": {\n    "Stage": "Prod"\n  }\n}\n';
    const doc = parseJsonDocument(text);
    expect(doc.keys.get('/Parameters/Stage')).to.include({ line: 3, column: 5 });
    expect(doc.values.get('/Parameters/Stage')).to.include({ line: 3, column: 14 });
    expect(doc.values.get('')).to.include({ line: 1, column: 1 });
  });

  it('escapes ~ and / in pointers and reads them back', () => {
    const pointer = childPointer('/Parameters', 'a/b~c');
    expect(pointer).to.equal('/Parameters/a~1b~0c');
    expect(pointerSegments(pointer)).to.deep.equal(['Parameters', 'a/b~c']);
    expect(parseJsonDocument('{"a/b~c": 1}').keys.has('/a~1b~0c')).to.equal(true);
  });

  it('reports a key given twice with both places', () => {
    const doc = parseJsonDocument('{\n"a": 1,\n"a": 2\n}');
    expect(doc.value).to.deep.equal({ a: 2 });
    expect(doc.duplicates).to.have.length(1);
    expect(doc.duplicates[0]).to.deep.include({ pointer: '/a' });
    expect(doc.duplicates[0]!.first.line).to.equal(2);
    expect(doc.duplicates[0]!.second.line).to.equal(3);
  });

  it('keeps a "__proto__" key as a plain property', () => {
    const value = parseJsonDocument('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
    expect(Object.keys(value)).to.deep.equal(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
    expect(Object.getPrototypeOf(value)).to.equal(Object.prototype);
  });

  describe('syntax errors', () => {
    const cases: Array<[string, string, number, number, RegExp]> = [
      ['a trailing comma', '{\n  "a": 1,\n}', 3, 1, /trailing comma before \}/],
      ['a missing comma', '{"a": 1 "b": 2}', 1, 9, /expected ',' or '\}' after a property, found '"'/],
      ['single quotes', "{'a': 1}", 1, 2, /double quotes/],
      ['a comment', '{\n  // note\n  "a": 1\n}', 2, 3, /comments are not allowed/],
      ['an unterminated string', '{"a": "x', 1, 9, /unterminated string/],
      ['a line break in a string', '{"a": "x\ny"}', 1, 9, /line break inside a string/],
      ['a bad escape', '{"a": "\\q"}', 1, 8, /invalid escape/],
      ['text after the value', '{} {}', 1, 4, /after the end of the JSON value/],
      ['the end of the file', '{"a": ', 1, 7, /expected a value .*found end of file/],
      ['a bare word', '{"a": yes}', 1, 7, /expected a value/],
      ['a missing colon', '{"a" 1}', 1, 6, /expected ':' after the property name "a"/],
      ['a trailing comma in an array', '[1,]', 1, 4, /trailing comma before \]/],
    ];
    for (const [what, text, line, column, message] of cases) {
      it(`points at ${what} with its line and column`, () => {
        const error = syntaxError(text);
        expect(error.message).to.match(message);
        expect(error.location).to.include({ line, column });
      });
    }
  });
});
