// Renders a graph of states into an Amazon States Language definition. The
// graph is walked from its start state, so every state written is one that can
// run; a state name used twice, a transition out of a Parallel branch or a Map
// item run, or a state shared between two such scopes fails synth with the
// names involved.
import { TemplateError } from '../../../../errors';
import { State, Transitioning } from './states';

/** How the machine is described. */
export interface MachineOptions {
  /** What the machine does. */
  readonly comment: string;
  /** Seconds after which an execution fails with States.Timeout. @default none */
  readonly timeoutSeconds?: number;
}

/** The ASL definition of the machine that starts at `start`, in JSONata. */
export function stateMachineDefinition(start: State, options: MachineOptions): Record<string, unknown> {
  const byName = new Map<string, State>();
  const scopeOf = new Map<State, string>();

  const renderScope = (first: State, scope: string): { StartAt: string; States: Record<string, unknown> } => {
    const order: State[] = [];
    const queue: State[] = [];
    const claim = (state: State, from?: State) => {
      // Handles make this impossible in typed code; a name slipped in through a cast still fails here.
      if (!(state instanceof State)) {
        throw new TemplateError(
          `state ${from?.name ?? '(start)'} moves to ${JSON.stringify(state)}, which is not a declared state; pass the state's handle`,
        );
      }
      const owner = scopeOf.get(state);
      if (owner === scope) return;
      if (owner !== undefined) {
        throw new TemplateError(
          `state ${state.name} belongs to ${owner} but is also reached from ${scope}; a state cannot leave its branch`,
        );
      }
      const named = byName.get(state.name);
      if (named && named !== state)
        throw new TemplateError(`two states are named ${state.name}; state names must be unique in the whole machine`);
      byName.set(state.name, state);
      scopeOf.set(state, scope);
      order.push(state);
      queue.push(state);
    };
    claim(first);
    while (queue.length > 0) {
      const state = queue.shift()!;
      for (const target of state.targets()) claim(target, state);
    }

    const states: Record<string, unknown> = {};
    for (const state of order) {
      let count = 0;
      const nested = (nestedStart: State) => renderScope(nestedStart, `nested machine ${++count} of ${state.name}`);
      const body: Record<string, unknown> = { Type: state.type };
      if (state.comment) body.Comment = state.comment;
      Object.assign(body, state.fields(nested));
      if (state instanceof Transitioning) {
        const next = state.nextState;
        if (next) body.Next = next.name;
        else body.End = true;
      }
      states[state.name] = body;
    }
    return { StartAt: first.name, States: states };
  };

  const top = renderScope(start, 'the top level');
  return {
    Comment: options.comment,
    QueryLanguage: 'JSONata',
    StartAt: top.StartAt,
    States: top.States,
    ...(options.timeoutSeconds !== undefined ? { TimeoutSeconds: options.timeoutSeconds } : {}),
  };
}
