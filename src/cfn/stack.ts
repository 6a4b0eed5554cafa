// A generated template as one declaration: where it is written, the module that
// builds it, and, as types, the parameters a parent must pass and the outputs it
// may read when it nests the template. The parent gets the child's Location from
// the two templates' paths, so the path is stated once, here.
import { posix } from 'node:path';
import { TemplateError } from '../errors';
import { GetAttIntrinsic, OWNER, type Value } from './intrinsics';
import { Template, type OutputDefinition, type Resource, type ResourceOptions } from './template';

/** A value a parent passes to one of a nested template's parameters. */
export type NestedParameterValue = Value<string> | Value<number>;

/** How a template is declared. */
export interface StackOptions {
  /** Repository-relative path of the generated YAML file. */
  readonly path: string;
  /** Repository-relative path of the module that builds it (named in the banner). */
  readonly source: string;
  /** Builds the template; loads its module only when called. Pure: no AWS calls, no file system. */
  readonly build: () => Template;
}

/**
 * One generated template. `Parameters` and `Outputs` are the logical ids of
 * its parameters and outputs, for a parent that nests it: the parent passes a
 * value for each parameter and reads outputs by those names only.
 */
export class Stack<Parameters extends string = string, Outputs extends string = string> {
  readonly path: string;
  readonly source: string;
  private readonly builder: () => Template;

  constructor(options: StackOptions) {
    this.path = options.path;
    this.source = options.source;
    this.builder = options.build;
  }

  /** Builds the template. */
  build(): Template {
    return this.builder();
  }

  /** Declares every output of `t`, a template of this declaration: each name it lists, and no other. */
  declareOutputs(t: Template, outputs: Readonly<Record<Outputs, OutputDefinition>>): void {
    if (t.path !== this.path)
      throw new TemplateError(
        `${t.source}: outputs of ${this.path} declared in the template of ${t.path ?? 'no path'}`,
      );
    for (const [id, definition] of Object.entries<OutputDefinition>(outputs)) t.output(id, definition);
  }

  /** A new, empty template of this declaration, which its builder fills in. */
  template(options: { readonly description: string; readonly sam?: boolean }): Template {
    return new Template({ ...options, source: this.source, path: this.path });
  }

  /**
   * Nests this template in `parent` as a SAM application whose Location is this
   * template's path relative to the parent's (`dataless package` uploads it).
   */
  nest(
    parent: Template,
    logicalId: string,
    parameters: Readonly<Record<Parameters, NestedParameterValue>>,
    options: ResourceOptions = {},
  ): NestedStack<Outputs> {
    if (!parent.path)
      throw new TemplateError(
        `${parent.source}: a template that nests ${this.path} must be declared with its own path`,
      );
    const location = posix.relative(posix.dirname(parent.path), this.path);
    const resource = parent.resource(
      logicalId,
      'AWS::Serverless::Application',
      { Location: location.startsWith('.') ? location : `./${location}`, Parameters: parameters },
      options,
    );
    return new NestedStack<Outputs>(resource);
  }
}

/** A nested template in its parent: its outputs are read by the names the child declares. */
export class NestedStack<Outputs extends string> {
  constructor(readonly resource: Resource<'AWS::Serverless::Application'>) {}

  /** `!GetAtt Id.Outputs.Name` of one of the child's outputs. */
  output(name: Outputs): GetAttIntrinsic {
    return new GetAttIntrinsic(this.resource.logicalId, `Outputs.${name}`, this.resource[OWNER]);
  }

  /** Several outputs by name, e.g. to pass each on as the parameter of the same name. */
  outputs<Name extends Outputs>(names: readonly Name[]): Record<Name, GetAttIntrinsic> {
    const read = {} as Record<Name, GetAttIntrinsic>;
    for (const name of names) read[name] = this.output(name);
    return read;
  }
}
