// deploy shows the `dataless diff` report against the deployed stack before it
// executes a change set, and names what the change risks in its question.
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { deploy } from '../../../src/aws/deploy';
import { risks } from '../../../src/aws/deploy/review';
import { memoryIO, type IO } from '../../../src/io';
import { fixtureTemplate, useFixtureDeployment, useLocalAws } from '../fixtures';

describe('deploy: the review before a change set is executed (against a local CloudFormation)', () => {
  const local = useLocalAws();
  /** An IO host whose clients are on moto: deploy's and the review's. */
  const motoIO = (overrides: Partial<Omit<IO, 'out' | 'err'>> = {}) => memoryIO({ aws: local.aws, ...overrides });
  const fixture = useFixtureDeployment();
  const { options } = fixture;

  it('shows what the change does to the deployed stack and asks naming the data it loses', async () => {
    // given the fixture deployed, then its bucket renamed (which replaces it, and its data with it)
    await deploy(options(), motoIO());
    writeFileSync(
      fixture.template,
      fixtureTemplate().replace(
        '    Type: AWS::S3::Bucket',
        '    Type: AWS::S3::Bucket\n    Properties: {BucketName: fixture-renamed}',
      ),
    );
    const questions: string[] = [];
    const io = motoIO({ canPrompt: true });
    // when
    await deploy(options({ yes: false, confirm: async (q) => (questions.push(q), false) }), io).catch(() => undefined);
    // then
    expect(io.stderr).to.contain(
      'Stack app (fixture.yaml)\nResources\n  [~] AWS::S3::Bucket Store  REPLACED DATA LOSS\n',
    );
    expect(io.stderr).to.contain('      Properties.BucketName: (none) → "fixture-renamed" (replaces: always)\n');
    expect(questions).to.have.length(1);
    expect(questions[0]).to.match(
      /^execute change set dataless-\S+ on stack fixture \(.*\); it loses the data of 1 resource\? \[y\/N\] $/,
    );
  });

  it('asks without naming a risk when the change loses nothing and broadens nothing', async () => {
    await deploy(options(), motoIO());
    writeFileSync(fixture.template, fixtureTemplate('  Extra: {Value: extra}'));
    const questions: string[] = [];
    const io = motoIO({ canPrompt: true });
    await deploy(options({ yes: false, confirm: async (q) => (questions.push(q), true) }), io);
    expect(io.stderr).to.contain('Outputs\n  [+] Extra\n');
    expect(questions[0]).to.match(/\)\? \[y\/N\] $/);
  });

  it('names data loss and broadened access together', () => {
    expect(risks({ added: 0, removed: 1, modified: 1, replaced: 0, dataLoss: 2, broadening: 1 })).to.equal(
      'loses the data of 2 resources and broadens permissions or network access (1 change)',
    );
    expect(risks({ added: 1, removed: 0, modified: 0, replaced: 0, dataLoss: 0, broadening: 0 })).to.equal(undefined);
  });
});
