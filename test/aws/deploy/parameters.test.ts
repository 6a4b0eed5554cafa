import { expect } from 'chai';
import {
  declaredParameters,
  planParameters,
  requireComplete,
  toCloudFormation,
  type DeclaredParameter,
} from '../../../src/aws/deploy/parameters';
import { ConfigError } from '../../../src/errors';

const declared: DeclaredParameter[] = [
  { name: 'Stage', noEcho: false, hasDefault: true },
  { name: 'Password', noEcho: true, hasDefault: true },
  { name: 'Owner', noEcho: false, hasDefault: false },
];

describe('deploy parameters', () => {
  describe('declaredParameters', () => {
    it('reads names, NoEcho and defaults from YAML with short-form intrinsics', () => {
      const text = [
        'Parameters:',
        '  A: {Type: String}',
        '  B: {Type: String, NoEcho: true, Default: ""}',
        'Resources:',
        '  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref A}}',
        '',
      ].join('\n');
      expect(declaredParameters(text, 't.yaml')).to.deep.equal([
        { name: 'A', noEcho: false, hasDefault: false },
        { name: 'B', noEcho: true, hasDefault: true },
      ]);
    });
  });

  describe('planParameters', () => {
    it('sends given values and leaves out defaulted parameters on create', () => {
      const plan = planParameters({ declared, given: { Stage: 'Beta', Owner: 'me', Unknown: 'x' } });
      expect(toCloudFormation(plan.parameters)).to.deep.equal([
        { ParameterKey: 'Stage', ParameterValue: 'Beta' },
        { ParameterKey: 'Owner', ParameterValue: 'me' },
      ]);
      expect(plan.missing).to.deep.equal([]);
    });

    it('lists parameters without a default that nobody gives on create', () => {
      const plan = planParameters({ declared, given: {} });
      expect(plan.missing).to.deep.equal(['Owner']);
      expect(() => requireComplete(plan, 'app', 'config/dev.json'))
        .to.throw(ConfigError, 'stack app needs a value for Owner')
        .with.property('exitCode', 2);
    });

    it('keeps NoEcho values and values without a default that are not given on update', () => {
      const existing = [
        { ParameterKey: 'Stage', ParameterValue: 'Prod' },
        { ParameterKey: 'Password', ParameterValue: '****' },
        { ParameterKey: 'Owner', ParameterValue: 'them' },
      ];
      const plan = planParameters({ declared, given: {}, existing });
      expect(toCloudFormation(plan.parameters)).to.deep.equal([
        { ParameterKey: 'Password', UsePreviousValue: true },
        { ParameterKey: 'Owner', UsePreviousValue: true },
      ]);
      expect(plan.parameters.find((p) => p.name === 'Owner')?.previous).to.equal('them');
    });

    it('lets an unset defaulted parameter fall back to its default on update, unless told to keep every value', () => {
      const existing = [{ ParameterKey: 'Stage', ParameterValue: 'Prod' }];
      const dropped = planParameters({ declared: [declared[0]!], given: {}, existing });
      const kept = planParameters({ declared: [declared[0]!], given: {}, existing, keepUnspecified: true });
      expect(dropped.parameters).to.deep.equal([]);
      expect(toCloudFormation(kept.parameters)).to.deep.equal([{ ParameterKey: 'Stage', UsePreviousValue: true }]);
    });

    it('never records the masked previous value of a NoEcho parameter', () => {
      const plan = planParameters({
        declared,
        given: { Password: 'hunter2' },
        existing: [{ ParameterKey: 'Password', ParameterValue: '****' }],
      });
      expect(plan.parameters[0]).to.deep.equal({
        name: 'Password',
        noEcho: true,
        value: 'hunter2',
        usePrevious: false,
        previous: undefined,
      });
    });
  });
});
