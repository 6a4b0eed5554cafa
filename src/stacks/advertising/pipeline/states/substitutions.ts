// DefinitionSubstitutions: CloudFormation replaces `${Name}` in a state machine
// definition with a value it knows at deploy time (an ARN, a table name). The
// placeholders are handed out here by name, so the definition and the map
// cannot disagree about which names exist; `check` also fails on a declared
// name the definition never uses.
import type { Value } from '../../../../cfn/intrinsics';
import { TemplateError } from '../../../../errors';

const NAME = /^[A-Za-z][A-Za-z0-9]*$/;

export class Substitutions<K extends string> {
  /** The placeholder of each name, `${Name}`, to write into the definition. */
  readonly ph: { readonly [P in K]: string };

  constructor(private readonly values: { readonly [P in K]: Value<string> }) {
    const ph: Record<string, string> = {};
    for (const name of Object.keys(values)) {
      if (!NAME.test(name))
        throw new TemplateError(`substitution name '${name}' must be letters and digits, starting with a letter`);
      ph[name] = '${' + name + '}';
    }
    this.ph = ph as { readonly [P in K]: string };
  }

  /**
   * The DefinitionSubstitutions property for `definition`. Fails when the
   * definition holds a placeholder that is not declared, or a declared one
   * is never used.
   */
  for(definition: unknown): { readonly [P in K]: Value<string> } {
    const text = JSON.stringify(definition);
    const used = new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]!));
    const declared = Object.keys(this.values);
    const undeclared = [...used].filter((name) => !declared.includes(name));
    if (undeclared.length > 0)
      throw new TemplateError(
        `the state machine definition uses \${${undeclared.join('}, ${')}}, which no substitution declares`,
      );
    const unused = declared.filter((name) => !used.has(name));
    if (unused.length > 0)
      throw new TemplateError(
        `substitutions ${unused.join(', ')} are declared but the state machine definition never uses them`,
      );
    return this.values;
  }
}
