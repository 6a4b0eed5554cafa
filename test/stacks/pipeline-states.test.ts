import { expect } from 'chai';
import jsonataEngine from 'jsonata';
import { TemplateError } from '../../src/errors';
import {
  ChoiceState,
  FailState,
  MapState,
  ParallelState,
  PassState,
  SucceedState,
  Substitutions,
  TaskState,
  WaitState,
  concat,
  expr,
  jsonata,
  quote,
  stateMachineDefinition,
  type State,
} from '../../src/stacks/advertising/pipeline/states';

// asl-validator is CommonJS with `module.exports = validator`.
const aslValidator = require('asl-validator') as (definition: unknown) => {
  isValid: boolean;
  errorsText: (separator?: string) => string;
};

type Json = any;

const render = (start: State) => stateMachineDefinition(start, { comment: 'test machine' }) as Json;
const task = (name: string) =>
  new TaskState(name, { resource: 'arn:aws:states:::aws-sdk:s3:getObject', arguments: { Bucket: 'b', Key: 'k' } });
/** Evaluates a `{% ... %}` field value as Step Functions would, with the given variables. */
const evaluate = (field: string, bindings: Record<string, unknown> = {}) =>
  jsonataEngine(field.slice(3, -3)).evaluate({}, bindings);

describe('the state machine builder (pipeline/states)', () => {
  describe('rendering', () => {
    it('writes a JSONata machine that starts at the first state and ends where nothing follows', () => {
      // given a chain of two states
      const first = new PassState('First', { comment: 'starts', output: { a: 1 } });
      first.next(new SucceedState('Done'));

      // when it is rendered
      const definition = render(first);

      // then it names its query language, its start and each transition
      expect(definition).to.deep.equal({
        Comment: 'test machine',
        QueryLanguage: 'JSONata',
        StartAt: 'First',
        States: {
          First: { Type: 'Pass', Comment: 'starts', Output: { a: 1 }, Next: 'Done' },
          Done: { Type: 'Succeed' },
        },
      });
    });

    it('marks a state without a next state as the end, and writes a timeout when given one', () => {
      const definition = stateMachineDefinition(new WaitState('Pause', 5), {
        comment: 'c',
        timeoutSeconds: 60,
      }) as Json;
      expect(definition.States.Pause).to.deep.equal({ Type: 'Wait', Seconds: 5, End: true });
      expect(definition.TimeoutSeconds).to.equal(60);
    });

    it('writes retry and catch rules in the order they are added', () => {
      // given a task that retries, then catches into a failure state
      const failed = new FailState('Failed', { error: 'E', cause: 'C' });
      const work = task('Work')
        .retry({ errors: ['States.TaskFailed'], intervalSeconds: 2, maxAttempts: 3, jitter: true })
        .catch({ errors: ['States.ALL'], next: failed, assign: { failed: true } });

      // when it is rendered
      const states = render(work).States;

      // then both lists are there, and the catch target is rendered too
      expect(states.Work.Retry).to.deep.equal([
        {
          ErrorEquals: ['States.TaskFailed'],
          IntervalSeconds: 2,
          MaxAttempts: 3,
          BackoffRate: 2,
          JitterStrategy: 'FULL',
        },
      ]);
      expect(states.Work.Catch).to.deep.equal([
        { ErrorEquals: ['States.ALL'], Next: 'Failed', Assign: { failed: true } },
      ]);
      expect(states.Failed).to.deep.equal({ Type: 'Fail', Error: 'E', Cause: 'C' });
    });

    it('renders each Parallel branch and Map item run as a machine of its own', () => {
      // given a parallel state with two branches, one of them a map
      const map = new MapState('EachItem', {
        items: [1, 2],
        processor: new SucceedState('ItemDone'),
        maxConcurrency: 2,
      });
      const parallel = new ParallelState('Both').branch(new SucceedState('Left')).branch(map);

      // when it is rendered
      const states = render(parallel).States;

      // then the branches hold their own states, and the map its item processor
      expect(states.Both.Branches).to.deep.equal([
        { StartAt: 'Left', States: { Left: { Type: 'Succeed' } } },
        {
          StartAt: 'EachItem',
          States: {
            EachItem: {
              Type: 'Map',
              Items: [1, 2],
              ItemProcessor: {
                ProcessorConfig: { Mode: 'INLINE' },
                StartAt: 'ItemDone',
                States: { ItemDone: { Type: 'Succeed' } },
              },
              MaxConcurrency: 2,
              End: true,
            },
          },
        },
      ]);
      expect(Object.keys(states)).to.deep.equal(['Both']);
    });

    it('produces definitions that asl-validator accepts, loops included', () => {
      // given a poll loop: wait, look, decide, and back to waiting
      const wait = new WaitState('Wait', 1);
      const look = task('Look');
      const done = new SucceedState('Done');
      const decide = new ChoiceState('Decide').when(jsonata("$states.input.Status = 'DONE'"), done).otherwise(wait);
      wait.next(look).next(decide);

      // when it is rendered and validated
      const result = aslValidator(render(wait));

      // then it is valid
      expect(result.isValid, result.errorsText('\n')).to.equal(true);
    });
  });

  describe('checks', () => {
    it('refuses two states of the same name', () => {
      const a = new PassState('Same');
      a.next(new PassState('Same'));
      expect(() => render(a)).to.throw(TemplateError, /two states are named Same/);
    });

    it('refuses a branch state that moves to a state outside its branch', () => {
      // given a top-level state and a branch that jumps to it
      const outside = new SucceedState('Outside');
      const inside = new PassState('Inside');
      inside.next(outside);
      const parallel = new ParallelState('Fork').branch(inside);
      parallel.next(outside);

      // then rendering names both
      expect(() => render(parallel)).to.throw(
        TemplateError,
        /state Outside belongs to the top level but is also reached from nested machine 1 of Fork/,
      );
    });

    it('refuses a state shared by two branches of one Parallel state', () => {
      const shared = new SucceedState('Shared');
      const parallel = new ParallelState('Fork').branch(shared).branch(shared);
      expect(() => render(parallel)).to.throw(
        TemplateError,
        /state Shared belongs to nested machine 1 of Fork but is also reached from nested machine 2 of Fork/,
      );
    });

    it('refuses a transition to something that is not a state, which the types do not allow', () => {
      const choice = new ChoiceState('Pick');
      // @ts-expect-error a transition takes a state's handle, never its name
      choice.when(jsonata('true'), 'Missing').otherwise(new SucceedState('Fine'));
      expect(() => render(choice)).to.throw(
        TemplateError,
        /state Pick moves to "Missing", which is not a declared state/,
      );
    });

    it('refuses a choice without a default, and one without rules', () => {
      expect(() => render(new ChoiceState('NoDefault').when(jsonata('true'), new SucceedState('S')))).to.throw(
        TemplateError,
        /choice NoDefault has no default/,
      );
      expect(() => render(new ChoiceState('NoRules').otherwise(new SucceedState('S')))).to.throw(
        TemplateError,
        /choice NoRules has no rules/,
      );
    });

    it('refuses a second next state, odd names, and empty error lists', () => {
      const a = new PassState('A');
      a.next(new SucceedState('B'));
      expect(() => a.next(new SucceedState('C'))).to.throw(TemplateError, /state A already moves on to B/);
      for (const bad of ['', 'has space', '1st', 'Is?', 'x'.repeat(81)])
        expect(() => new PassState(bad), bad).to.throw(TemplateError, /must be 1-80 letters and digits/);
      expect(() => task('T').retry({ errors: [], intervalSeconds: 1, maxAttempts: 1 })).to.throw(
        TemplateError,
        /needs at least one error name/,
      );
      expect(() => new WaitState('W', 0)).to.throw(TemplateError, /give a whole number of 1 or more/);
    });
  });

  describe('JSONata helpers', () => {
    it('quotes text so that JSONata reads it back unchanged', async () => {
      for (const text of ['plain', "it's", 'say "hi"', 'back\\slash', 'both \' and "', 'tab\tand\nnewline']) {
        expect(await jsonataEngine(quote(text)).evaluate({}), text).to.equal(text);
      }
    });

    it('joins literal text and sub-expressions into one string expression', async () => {
      // given text with quotes and two sub-expressions
      const field = concat("WHERE day >= '", expr('$run.dateStart'), "' AND n = ", expr('$run.count + 1'));

      // when Step Functions would evaluate it
      const value = await evaluate(field, { run: { dateStart: '2024-06-06', count: 2 } });

      // then the parts are in order, numbers written as text
      expect(value).to.equal("WHERE day >= '2024-06-06' AND n = 3");
      expect(field).to.match(/^\{% .* %\}$/);
    });

    it('refuses expressions that would not survive as one field', () => {
      expect(() => jsonata('a\nb')).to.throw(TemplateError, /spans lines/);
      expect(() => jsonata('x %} y')).to.throw(TemplateError, /contains '%}'/);
      expect(() => expr(' ')).to.throw(TemplateError, /is empty/);
    });
  });

  describe('substitutions', () => {
    it('hands out ${Name} placeholders and returns the values the definition uses', () => {
      const subs = new Substitutions({ Bucket: 'my-bucket', Table: 'my-table' });
      const definition = { Arguments: { Bucket: subs.ph.Bucket, TableName: subs.ph.Table } };
      expect(subs.ph.Bucket).to.equal('${Bucket}');
      expect(subs.for(definition)).to.deep.equal({ Bucket: 'my-bucket', Table: 'my-table' });
    });

    it('refuses a placeholder nobody declared, and a declared name nothing uses', () => {
      const subs = new Substitutions({ Bucket: 'b', Unused: 'u' });
      expect(() => subs.for({ a: '${Bucket}', b: '${Typo}' })).to.throw(
        TemplateError,
        /uses \$\{Typo\}, which no substitution declares/,
      );
      expect(() => subs.for({ a: '${Bucket}' })).to.throw(
        TemplateError,
        /substitutions Unused are declared but the state machine definition never uses them/,
      );
    });
  });
});
