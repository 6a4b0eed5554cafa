// The states of a JSONata state machine, as objects that point at each other.
// A transition takes the handle of the state it moves to, never its name, so
// a `Next` to a state that does not exist cannot be written; machine.ts walks
// the handles and assigns the names.
import { TemplateError } from '../../../../errors';
import type { Jsonata } from './jsonata';

/** A value of a state field: JSON, where a string may be a JSONata expression. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Variables a state assigns when it finishes, by name. */
export type Assign = Readonly<Record<string, JsonValue>>;

/** Retries of a failed Task, Parallel or Map state. */
export interface Retrier {
  /** Error names that are retried, e.g. `States.TaskFailed`. */
  readonly errors: readonly string[];
  /** Seconds before the first retry. */
  readonly intervalSeconds: number;
  /** Retries after the first attempt. */
  readonly maxAttempts: number;
  /** Factor the interval grows by with each retry. @default 2 */
  readonly backoffRate?: number;
  /** Randomise the intervals, so that parallel retries spread out. @default false */
  readonly jitter?: boolean;
}

/** Where a Task, Parallel or Map state goes when it fails with one of the errors. */
export interface Catcher {
  /** Error names that are caught, e.g. `States.ALL`. */
  readonly errors: readonly string[];
  /** The state to move to. */
  readonly next: State;
  /** The input of `next`: by default the error output `{Error, Cause}`. @default the error output */
  readonly output?: JsonValue;
  /** Variables to assign on the way. @default none */
  readonly assign?: Assign;
}

/** State names are letters and digits here (Step Functions allows more, but logs and consoles read these best). */
const NAME = /^[A-Za-z][A-Za-z0-9]{0,79}$/;

export type StateType = 'Task' | 'Pass' | 'Wait' | 'Choice' | 'Parallel' | 'Map' | 'Succeed' | 'Fail';

/** Any state. */
export abstract class State {
  abstract readonly type: StateType;

  constructor(
    readonly name: string,
    /** Shown in the console next to the state. */
    readonly comment?: string,
  ) {
    if (!NAME.test(name)) {
      throw new TemplateError(`state name '${name}' must be 1-80 letters and digits, starting with a letter`);
    }
  }

  /** The states this one can move to, in the order they are declared. */
  abstract targets(): readonly State[];

  /** The start states of the state machines nested in this one (Parallel branches, a Map's item processor). */
  nestedStarts(): readonly State[] {
    return [];
  }

  /** The state's fields other than Type, Comment, Next and End, in ASL form; `nested` renders a nested machine. */
  abstract fields(nested: (start: State) => Record<string, unknown>): Record<string, unknown>;
}

/** A state that moves on to a next state, or ends its machine when it has none. */
export abstract class Transitioning extends State {
  private following: State | undefined;

  /** Moves on to `state` after this one; returns `state`, so that chains read in order. */
  next<S extends State>(state: S): S {
    if (this.following)
      throw new TemplateError(
        `state ${this.name} already moves on to ${this.following.name}; it cannot also move to ${state.name}`,
      );
    this.following = state;
    return state;
  }

  /** The state this one moves on to, or undefined when it ends its machine. */
  get nextState(): State | undefined {
    return this.following;
  }

  targets(): readonly State[] {
    return this.following ? [this.following] : [];
  }
}

/** A Task, Parallel or Map state: it can retry and catch. */
export abstract class Guarded extends Transitioning {
  private readonly retriers: Retrier[] = [];
  private readonly catchers: Catcher[] = [];

  /** Adds a retry rule; rules are tried in the order they are added. */
  retry(retrier: Retrier): this {
    if (retrier.errors.length === 0)
      throw new TemplateError(`state ${this.name}: a retry rule needs at least one error name`);
    if (!Number.isInteger(retrier.maxAttempts) || retrier.maxAttempts < 0) {
      throw new TemplateError(
        `state ${this.name}: maxAttempts ${retrier.maxAttempts} must be a whole number of 0 or more`,
      );
    }
    this.retriers.push(retrier);
    return this;
  }

  /** Adds a catch rule; rules are tried in the order they are added. */
  catch(catcher: Catcher): this {
    if (catcher.errors.length === 0)
      throw new TemplateError(`state ${this.name}: a catch rule needs at least one error name`);
    this.catchers.push(catcher);
    return this;
  }

  override targets(): readonly State[] {
    return [...super.targets(), ...this.catchers.map((c) => c.next)];
  }

  protected errorHandling(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (this.retriers.length > 0) {
      out.Retry = this.retriers.map((r) => ({
        ErrorEquals: [...r.errors],
        IntervalSeconds: r.intervalSeconds,
        MaxAttempts: r.maxAttempts,
        BackoffRate: r.backoffRate ?? 2,
        ...(r.jitter ? { JitterStrategy: 'FULL' } : {}),
      }));
    }
    if (this.catchers.length > 0) {
      out.Catch = this.catchers.map((c) => ({
        ErrorEquals: [...c.errors],
        Next: c.next.name,
        ...(c.output !== undefined ? { Output: c.output } : {}),
        ...(c.assign ? { Assign: c.assign } : {}),
      }));
    }
    return out;
  }
}

/** What a Task state is given. */
export interface TaskProps {
  /** The integration, e.g. `arn:aws:states:::aws-sdk:dynamodb:describeTable`. */
  readonly resource: string;
  /** The request. @default none */
  readonly arguments?: JsonValue;
  /** The state's output. @default the task's result */
  readonly output?: JsonValue;
  /** Variables to assign. @default none */
  readonly assign?: Assign;
  /** Seconds after which the task fails with States.Timeout. @default none */
  readonly timeoutSeconds?: number;
  readonly comment?: string;
}

/** Calls an AWS service. */
export class TaskState extends Guarded {
  readonly type = 'Task';
  constructor(
    name: string,
    readonly props: TaskProps,
  ) {
    super(name, props.comment);
  }
  fields(): Record<string, unknown> {
    const p = this.props;
    return {
      Resource: p.resource,
      ...(p.arguments !== undefined ? { Arguments: p.arguments } : {}),
      ...(p.output !== undefined ? { Output: p.output } : {}),
      ...(p.assign ? { Assign: p.assign } : {}),
      ...(p.timeoutSeconds !== undefined ? { TimeoutSeconds: p.timeoutSeconds } : {}),
      ...this.errorHandling(),
    };
  }
}

/** What a Pass state is given. */
export interface PassProps {
  /** The state's output. @default its input */
  readonly output?: JsonValue;
  /** Variables to assign. @default none */
  readonly assign?: Assign;
  readonly comment?: string;
}

/** Shapes data or assigns variables, calling nothing. */
export class PassState extends Transitioning {
  readonly type = 'Pass';
  constructor(
    name: string,
    readonly props: PassProps = {},
  ) {
    super(name, props.comment);
  }
  fields(): Record<string, unknown> {
    return {
      ...(this.props.output !== undefined ? { Output: this.props.output } : {}),
      ...(this.props.assign ? { Assign: this.props.assign } : {}),
    };
  }
}

/** Waits a number of seconds, passing its input on. */
export class WaitState extends Transitioning {
  readonly type = 'Wait';
  constructor(
    name: string,
    readonly seconds: number,
    comment?: string,
  ) {
    super(name, comment);
    if (!Number.isInteger(seconds) || seconds < 1)
      throw new TemplateError(`state ${name}: wait ${seconds} seconds; give a whole number of 1 or more`);
  }
  fields(): Record<string, unknown> {
    return { Seconds: this.seconds };
  }
}

/** One rule of a Choice state. */
interface ChoiceRule {
  readonly condition: Jsonata;
  readonly next: State;
  readonly assign?: Assign;
}

/** Moves to the state of the first rule whose condition holds, else to its default. */
export class ChoiceState extends State {
  readonly type = 'Choice';
  private readonly rules: ChoiceRule[] = [];
  private fallback: State | undefined;

  /** Moves to `next` when `condition` holds (and no earlier rule did). */
  when(condition: Jsonata, next: State, assign?: Assign): this {
    this.rules.push({ condition, next, ...(assign ? { assign } : {}) });
    return this;
  }

  /** Moves to `next` when no rule holds. */
  otherwise(next: State): this {
    if (this.fallback) throw new TemplateError(`choice ${this.name} already defaults to ${this.fallback.name}`);
    this.fallback = next;
    return this;
  }

  targets(): readonly State[] {
    return [...this.rules.map((r) => r.next), ...(this.fallback ? [this.fallback] : [])];
  }

  fields(): Record<string, unknown> {
    if (this.rules.length === 0) throw new TemplateError(`choice ${this.name} has no rules; add one with when()`);
    // Without a default an unmatched input fails the execution with States.NoChoiceMatched; say where to go instead.
    if (!this.fallback) throw new TemplateError(`choice ${this.name} has no default; give one with otherwise()`);
    return {
      Choices: this.rules.map((r) => ({
        Condition: r.condition,
        Next: r.next.name,
        ...(r.assign ? { Assign: r.assign } : {}),
      })),
      Default: this.fallback.name,
    };
  }
}

/** What a Parallel state is given besides its branches. */
export interface ParallelProps {
  /** The state's output. @default the array of the branches' outputs */
  readonly output?: JsonValue;
  /** Variables to assign. @default none */
  readonly assign?: Assign;
  readonly comment?: string;
}

/** Runs branches at the same time and waits for all of them. */
export class ParallelState extends Guarded {
  readonly type = 'Parallel';
  private readonly branches: State[] = [];
  constructor(
    name: string,
    readonly props: ParallelProps = {},
  ) {
    super(name, props.comment);
  }

  /** Adds a branch that starts at `start`. */
  branch(start: State): this {
    this.branches.push(start);
    return this;
  }

  override nestedStarts(): readonly State[] {
    return this.branches;
  }

  fields(nested: (start: State) => Record<string, unknown>): Record<string, unknown> {
    if (this.branches.length === 0)
      throw new TemplateError(`parallel ${this.name} has no branches; add one with branch()`);
    return {
      Branches: this.branches.map(nested),
      ...(this.props.output !== undefined ? { Output: this.props.output } : {}),
      ...(this.props.assign ? { Assign: this.props.assign } : {}),
      ...this.errorHandling(),
    };
  }
}

/** What a Map state is given. */
export interface MapProps {
  /** The items: an array, or an expression that yields one. */
  readonly items: Jsonata | readonly JsonValue[];
  /** The first state of each item's run; the item is its input. */
  readonly processor: State;
  /** Items processed at once. @default 0: as many as Step Functions allows */
  readonly maxConcurrency?: number;
  /** The state's output. @default the array of the item runs' outputs */
  readonly output?: JsonValue;
  readonly comment?: string;
}

/** Runs the same states for each item of a list (inline). */
export class MapState extends Guarded {
  readonly type = 'Map';
  constructor(
    name: string,
    readonly props: MapProps,
  ) {
    super(name, props.comment);
  }

  override nestedStarts(): readonly State[] {
    return [this.props.processor];
  }

  fields(nested: (start: State) => Record<string, unknown>): Record<string, unknown> {
    const p = this.props;
    return {
      Items: p.items,
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...nested(p.processor) },
      ...(p.maxConcurrency !== undefined ? { MaxConcurrency: p.maxConcurrency } : {}),
      ...(p.output !== undefined ? { Output: p.output } : {}),
      ...this.errorHandling(),
    };
  }
}

/** Ends its machine (or branch, or item run) successfully. */
export class SucceedState extends State {
  readonly type = 'Succeed';
  targets(): readonly State[] {
    return [];
  }
  fields(): Record<string, unknown> {
    return {};
  }
}

/** What a Fail state reports. */
export interface FailProps {
  /** The error name, or an expression that yields it. */
  readonly error: string;
  /** What went wrong, or an expression that yields it. */
  readonly cause: string;
  readonly comment?: string;
}

/** Ends its machine with an error. */
export class FailState extends State {
  readonly type = 'Fail';
  constructor(
    name: string,
    readonly props: FailProps,
  ) {
    super(name, props.comment);
  }
  targets(): readonly State[] {
    return [];
  }
  fields(): Record<string, unknown> {
    return { Error: this.props.error, Cause: this.props.cause };
  }
}
