// Checks a branch config file against the schema generated from the root
// template's parameters, then against the rules between parameters, and
// reports every problem with the file, the JSON path and a line and column.
import Ajv, { type ValidateFunction } from 'ajv';
import type { Parameter, Template } from '../cfn/template';
import { explainErrors } from './explain';
import {
  childPointer,
  JsonSyntaxError,
  parseJsonDocument,
  pointerSegments,
  type JsonDocument,
  type SourceLocation,
} from './json-source';
import { describeType, displayPath, showValue, type ConfigProblem } from './problems';
import { rules as allRules, type ConfigRule, type RuleInput } from './rules';
import {
  configSchema,
  isBuildParameter,
  isConfigParameter,
  isNumberParameter,
  NUMERIC_STRING,
  type JsonSchema,
} from './schema';

/** The outcome of checking one config file. */
export interface ConfigCheck {
  /** Repository-relative path of the file. */
  readonly file: string;
  /** Everything wrong with it, in file order; empty when it is good. */
  readonly problems: readonly ConfigProblem[];
  /** The values the file sets, as text (CloudFormation's form); empty when there are problems. */
  readonly parameters: Readonly<Record<string, string>>;
}

const NUMERIC = new RegExp(NUMERIC_STRING);
const START: SourceLocation = { line: 1, column: 1, offset: 0 };

/** Checks config files for one template: the schema is compiled once and reused for every file. */
export class ConfigValidator {
  /** The schema the files are checked against (the one `dataless synth` writes). */
  readonly schema: JsonSchema;
  /** The rules between parameters that apply to this template. */
  readonly rules: readonly ConfigRule[];
  private readonly validateSchema: ValidateFunction;
  private readonly parameters: ReadonlyMap<string, Parameter>;
  private readonly configNames: readonly string[];
  private readonly buildNames: readonly string[];

  constructor(template: Template, rules: readonly ConfigRule[] = allRules) {
    const parameters = template.parameterList();
    this.parameters = new Map(parameters.map((p) => [p.logicalId, p]));
    this.configNames = parameters.filter(isConfigParameter).map((p) => p.logicalId);
    this.buildNames = parameters.filter(isBuildParameter).map((p) => p.logicalId);
    // A rule whose parameters the template does not all declare (as config parameters) has nothing to check.
    this.rules = rules.filter((rule) => rule.parameters.every((name) => this.configNames.includes(name)));
    this.schema = configSchema(template);
    const ajv = new Ajv({ allErrors: true, strict: true });
    this.validateSchema = ajv.compile(this.schema);
  }

  /** Checks the text of one config file; `file` is the path named in the problems. */
  check(file: string, text: string): ConfigCheck {
    const { problems, given } = this.inspect(file, text.replace(/^\uFEFF/, ''));
    const parameters: Record<string, string> = {};
    if (problems.length === 0 && given) {
      for (const [name, value] of Object.entries(given)) {
        const d = this.parameters.get(name)?.definition;
        // One spelling per number ("1", not "1.0" or " 1"), so conditions that compare the text behave.
        parameters[name] = d && isNumberParameter(d) ? String(Number(value)) : String(value);
      }
    }
    return { file, problems, parameters };
  }

  private inspect(file: string, text: string): { problems: ConfigProblem[]; given?: Record<string, unknown> } {
    const at = (location: SourceLocation, pointer: string, rule: string, message: string): ConfigProblem => ({
      file,
      path: displayPath(pointer),
      rule,
      message,
      line: location.line,
      column: location.column,
    });
    if (text.trim() === '') {
      return {
        problems: [
          at(START, '', 'config-empty', 'the file is empty; it must hold a JSON object such as {"Parameters": {}}'),
        ],
      };
    }
    let doc: JsonDocument;
    try {
      doc = parseJsonDocument(text);
    } catch (error) {
      if (error instanceof JsonSyntaxError)
        return { problems: [at(error.location, '', 'config-syntax', `not valid JSON: ${error.message}`)] };
      throw error;
    }
    const out: ConfigProblem[] = doc.duplicates.map((d) =>
      at(
        d.second,
        d.pointer,
        'config-duplicate-key',
        `is given twice (first on line ${d.first.line}); JSON keeps only the last one, so remove the other`,
      ),
    );
    if (!isPlainObject(doc.value)) {
      out.push(
        at(
          START,
          '',
          'config-not-object',
          `the top level is ${describeType(doc.value)} (${showValue(doc.value)}); it must be an object such as {"Parameters": {}}`,
        ),
      );
      return { problems: out };
    }
    const checked = this.numbersAsNumbers(doc.value);
    if (!this.validateSchema(checked)) {
      const explained = explainErrors(this.validateSchema.errors ?? [], doc.value, checked, {
        parameters: this.parameters,
        configNames: this.configNames,
        buildNames: this.buildNames,
      });
      for (const e of explained) out.push(at(locate(doc, e.pointer, e.at), e.pointer, e.rule, e.message));
    }
    const given = isPlainObject(doc.value.Parameters) ? doc.value.Parameters : undefined;
    if (given) out.push(...this.ruleProblems(doc, given, new Set(out.map((p) => p.path)), at));
    out.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
    return { problems: out, given };
  }

  private ruleProblems(
    doc: JsonDocument,
    given: Record<string, unknown>,
    bad: ReadonlySet<string>,
    at: (location: SourceLocation, pointer: string, rule: string, message: string) => ConfigProblem,
  ): ConfigProblem[] {
    const has = (name: string) => Object.prototype.hasOwnProperty.call(given, name);
    const input: RuleInput = {
      given: has,
      value: (name) => {
        const value = has(name) ? given[name] : this.parameters.get(name)?.definition.default;
        if (value === undefined || value === null) return '';
        return typeof value === 'object' ? JSON.stringify(value) : String(value as string | number | boolean);
      },
    };
    const out: ConfigProblem[] = [];
    for (const rule of this.rules) {
      // A value the schema already refused would only repeat itself here.
      if (rule.parameters.some((name) => bad.has(displayPath(childPointer('/Parameters', name))))) continue;
      for (const finding of rule.check(input)) {
        const pointer = childPointer('/Parameters', finding.parameter);
        const where = has(finding.parameter)
          ? locate(doc, pointer, 'value')
          : finding.cause && has(finding.cause)
            ? locate(doc, childPointer('/Parameters', finding.cause), 'value')
            : locate(doc, '/Parameters', 'key');
        out.push(at(where, pointer, rule.id, finding.message));
      }
    }
    return out;
  }

  /** A copy in which the numeric strings of Number parameters are numbers, so ajv checks their range. */
  private numbersAsNumbers(value: Record<string, unknown>): Record<string, unknown> {
    if (!isPlainObject(value.Parameters)) return value;
    const parameters: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value.Parameters)) {
      const d = this.parameters.get(name)?.definition;
      const numeric = d && isNumberParameter(d) && typeof v === 'string' && NUMERIC.test(v.trim());
      Object.defineProperty(parameters, name, {
        value: numeric ? Number(v) : v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return { ...value, Parameters: parameters };
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a problem points: the key or value it names, else the nearest enclosing key, else the start of the file. */
function locate(doc: JsonDocument, pointer: string, prefer: 'key' | 'value'): SourceLocation {
  const first = prefer === 'key' ? doc.keys : doc.values;
  const second = prefer === 'key' ? doc.values : doc.keys;
  const found = first.get(pointer) ?? second.get(pointer);
  if (found) return found;
  const segments = pointerSegments(pointer);
  for (let n = segments.length - 1; n > 0; n--) {
    const parent = segments.slice(0, n).reduce((p, s) => childPointer(p, s), '');
    const location = doc.keys.get(parent);
    if (location) return location;
  }
  return doc.values.get('') ?? START;
}
