// Runs a Step Functions state machine definition (JSONata query language)
// locally: Pass, Choice, Task, Parallel, Map, Wait, Succeed and Fail, with
// Arguments, Output, Assign, variable scopes, and Catch. Tasks go to a
// runner given by the caller. Differences, on purpose: Parallel branches and
// Map items run one after another (one local Spark runs them all), Wait
// states do not wait (the stand-in has nothing to wait for), and Retry is not
// attempted (a failing step stops the run, naming itself).
import jsonata from 'jsonata';
import { LocalError } from '../../errors';
import { asText, at, isJson, listAt, objectAt, textAt, type Json } from '../json';

/** The run's `$states.context` (Execution, StateMachine), and the first state that failed, when one did. */
export interface RunContext {
  readonly values: Json;
  failedState?: string;
}

/** Runs one Task state: its resource and evaluated Arguments, giving the result. */
export type TaskRunner = (name: string, resource: string, args: unknown) => Promise<unknown>;

/** An error a state raised (Fail, or a failed Task), as Step Functions names it. */
export class StateError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
    /** The state it came from. */
    readonly state: string,
  ) {
    super(`${state}: ${error}: ${cause}`);
  }
}

/** Variables, scoped as Step Functions scopes them: a branch or an item sees its parent's and keeps its own. */
class Scope {
  private readonly values = new Map<string, unknown>();
  constructor(private readonly parent?: Scope) {}
  get(name: string): unknown {
    return this.values.has(name) ? this.values.get(name) : this.parent?.get(name);
  }
  set(name: string, value: unknown): void {
    let scope: Scope | undefined = this as Scope;
    while (scope && !scope.values.has(name)) scope = scope.parent;
    (scope ?? this).values.set(name, value);
  }
  all(): Record<string, unknown> {
    return { ...(this.parent?.all() ?? {}), ...Object.fromEntries(this.values) };
  }
}

/** Runs `definition` on `input`; resolves with its output and top-level variables, or rejects with a StateError. */
export async function runStateMachine(
  definition: Json,
  input: unknown,
  runTask: TaskRunner,
  context: RunContext,
): Promise<{ output: unknown; variables: Json }> {
  if ((textAt(definition, 'QueryLanguage') ?? 'JSONPath') !== 'JSONata') {
    throw new LocalError(
      'the local batch runs JSONata state machines only; this one uses JSONPath',
      'LOCAL_STATE_MACHINE',
    );
  }
  const scope = new Scope();
  const output = await runStates(definition, input, scope, runTask, context);
  return { output, variables: scope.all() };
}

async function runStates(
  machine: unknown,
  input: unknown,
  scope: Scope,
  runTask: TaskRunner,
  context: RunContext,
): Promise<unknown> {
  let name = textAt(machine, 'StartAt') ?? '';
  let current = input;
  for (;;) {
    const state = at(machine, 'States', name);
    if (!isJson(state)) throw new LocalError(`the state machine has no state ${name}`, 'LOCAL_STATE_MACHINE');
    const states: Json = {
      input: current,
      context: { ...context.values, State: { Name: name, EnteredTime: new Date().toISOString() } },
    };
    let next = textAt(state, 'Next');
    let output: unknown;
    try {
      switch (state.Type) {
        case 'Pass':
          output = await finish(state, states, current, scope);
          break;
        case 'Wait':
          output = await finish(state, states, current, scope);
          break;
        case 'Choice': {
          next = textAt(state, 'Default');
          for (const choice of listAt(state, 'Choices')) {
            if ((await evaluate(at(choice, 'Condition'), states, scope)) === true) {
              next = textAt(choice, 'Next');
              await assign(at(choice, 'Assign'), states, scope);
              break;
            }
          }
          if (next === undefined) throw new StateError('States.NoChoiceMatched', `no choice of ${name} matched`, name);
          output = await finish(state, states, current, scope);
          break;
        }
        case 'Succeed':
          return await finish(state, states, current, scope);
        case 'Fail': {
          const error = asText((await evaluate(state.Error, states, scope)) ?? 'States.Fail');
          const cause = asText((await evaluate(state.Cause, states, scope)) ?? '');
          throw new StateError(error, cause, name);
        }
        case 'Task': {
          const args = await evaluate(state.Arguments, states, scope);
          let result: unknown;
          try {
            result = await runTask(name, textAt(state, 'Resource') ?? '', args);
          } catch (error) {
            if (error instanceof StateError) throw error;
            throw new StateError('States.TaskFailed', (error as Error).message, name);
          }
          output = await finish(state, { ...states, result }, result, scope);
          break;
        }
        case 'Parallel': {
          const results: unknown[] = [];
          for (const branch of listAt(state, 'Branches'))
            results.push(await runStates(branch, current, new Scope(scope), runTask, context));
          output = await finish(state, { ...states, result: results }, results, scope);
          break;
        }
        case 'Map': {
          const items = await evaluate(state.Items ?? '{% $states.input %}', states, scope);
          const results: unknown[] = [];
          for (const item of Array.isArray(items) ? (items as unknown[]) : [])
            results.push(await runStates(state.ItemProcessor, item, new Scope(scope), runTask, context));
          output = await finish(state, { ...states, result: results }, results, scope);
          break;
        }
        default:
          throw new LocalError(
            `state ${name} is a ${asText(state.Type)}, which the local batch does not run`,
            'LOCAL_STATE_MACHINE',
          );
      }
    } catch (error) {
      if (!(error instanceof StateError)) throw error;
      const handler = listAt(state, 'Catch').find((c) =>
        listAt(c, 'ErrorEquals').some(
          (e) => e === 'States.ALL' || e === error.error || (e === 'States.TaskFailed' && state.Type === 'Task'),
        ),
      );
      if (!handler) throw error;
      const errorOutput = { Error: error.error, Cause: error.cause };
      await assign(at(handler, 'Assign'), { ...states, errorOutput }, scope);
      const handlerOutput = at(handler, 'Output');
      output =
        handlerOutput === undefined ? errorOutput : await evaluate(handlerOutput, { ...states, errorOutput }, scope);
      next = textAt(handler, 'Next');
      // The run goes on through the handler; remember which state failed first.
      context.failedState ??= error.state;
    }
    if (state.End || next === undefined) return output;
    name = next;
    current = output;
  }
}

/** Applies a state's Assign, then evaluates its Output (default: `fallback`). */
async function finish(state: Json, states: Json, fallback: unknown, scope: Scope): Promise<unknown> {
  const output = state.Output === undefined ? fallback : await evaluate(state.Output, states, scope);
  await assign(state.Assign, states, scope);
  return output;
}

async function assign(values: unknown, states: Json, scope: Scope): Promise<void> {
  // Every expression of one Assign sees the variables as they were before it.
  const evaluated = await Promise.all(
    Object.entries(objectAt(values)).map(
      async ([name, value]) => [name, await evaluate(value, states, scope)] as const,
    ),
  );
  for (const [name, value] of evaluated) scope.set(name, value);
}

/** A value with every `{% ... %}` string evaluated as JSONata, `$states` and the variables bound. */
export async function evaluate(
  value: unknown,
  states: Json,
  scope: { all(): Record<string, unknown> },
): Promise<unknown> {
  if (typeof value === 'string') {
    const match = /^\{%([\s\S]*)%\}$/.exec(value.trim());
    if (!match) return value;
    try {
      return (await jsonata(match[1]!).evaluate(states.input, { ...scope.all(), states })) as unknown;
    } catch (error) {
      throw new StateError(
        'States.QueryEvaluationError',
        `${(error as Error).message} in ${value.slice(0, 120)}`,
        textAt(states, 'context', 'State', 'Name') ?? '',
      );
    }
  }
  if (Array.isArray(value)) return Promise.all(value.map((item) => evaluate(item, states, scope)));
  if (isJson(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = await evaluate(item, states, scope);
    return out;
  }
  return value;
}

/** Every Task state of a definition (branches, item processors included), in definition order. */
export function taskStates(machine: unknown): Array<{ name: string; resource: string }> {
  const tasks: Array<{ name: string; resource: string }> = [];
  for (const [name, state] of Object.entries(objectAt(machine, 'States'))) {
    if (at(state, 'Type') === 'Task') tasks.push({ name, resource: textAt(state, 'Resource') ?? '' });
    for (const branch of listAt(state, 'Branches')) tasks.push(...taskStates(branch));
    if (at(state, 'ItemProcessor') !== undefined) tasks.push(...taskStates(at(state, 'ItemProcessor')));
  }
  return tasks;
}
