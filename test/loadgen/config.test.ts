import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { ConfigError, UsageError } from '../../src/errors';
import { loadConfig, parseConfig } from '../../src/loadgen/config';
import { formatDuration, parseDuration } from '../../src/loadgen/duration';

const VALID = `BaseURL: http://127.0.0.1:8080/Prod
Duration: 72h
Ads:
  Count: 1000000
Users:
  Count: 1000
  ClickthroughProbability: 0.3
  ViewFrequency: 5s
  ViewVariance: 0.1
  ConsiderDuration: 1s
  ConsiderVariance: 0.1
`;

/** The valid file with the line of key `prefix` (or the line `prefix`) replaced, or removed when `by` is undefined. */
function withLine(prefix: string, by?: string): string {
  const lines = VALID.split('\n');
  const index = lines.findIndex((l) => l.trim() === prefix || l.trimStart().startsWith(`${prefix}:`));
  if (index < 0) throw new Error(`no line starts with ${prefix}`);
  if (by === undefined) lines.splice(index, 1);
  else lines[index] = by;
  return lines.join('\n');
}

function refusal(text: string, env: NodeJS.ProcessEnv = {}, overrides = {}): ConfigError {
  try {
    parseConfig(text, 'config/test.yaml', env, overrides);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).exitCode).to.equal(2);
    return error as ConfigError;
  }
  throw new Error('the configuration was accepted');
}

describe('loadgen configuration', () => {
  it('reads every key of a valid file, with durations in milliseconds', () => {
    // given the original's values
    // when
    const config = parseConfig(VALID, 'config/test.yaml', {});
    // then
    expect(config).to.deep.equal({
      file: 'config/test.yaml',
      baseUrl: 'http://127.0.0.1:8080/Prod',
      durationMs: 72 * 3_600_000,
      adsCount: 1_000_000,
      users: {
        count: 1000,
        clickthroughProbability: 0.3,
        viewFrequencyMs: 5000,
        viewVariance: 0.1,
        considerDurationMs: 1000,
        considerVariance: 0.1,
      },
    });
  });

  it('accepts the shipped config/loadgen.yaml once its variables are set', async () => {
    // given
    const env = { API_ID: 'a1b2c3', REGION: 'eu-west-1', STAGE: 'Prod' };
    // when
    const config = await loadConfig('config/loadgen.yaml', { cwd: join(__dirname, '..', '..'), env });
    // then
    expect(config.baseUrl).to.equal('https://a1b2c3.execute-api.eu-west-1.amazonaws.com/Prod');
    expect(config.durationMs).to.equal(72 * 3_600_000);
    expect(config.users.viewFrequencyMs).to.equal(5000);
  });

  describe('environment expansion', () => {
    it('fills ${NAME} and $NAME anywhere in the file, numbers included', () => {
      // given
      const text = VALID.replace('http://127.0.0.1:8080/Prod', 'http://${HOST}:8080/$STAGE')
        .replace('Duration: 72h', 'Duration: ${RUN_FOR}')
        .replace('Count: 1000\n', 'Count: ${USERS}\n');
      const env = { HOST: '127.0.0.1', STAGE: 'Beta', RUN_FOR: '1m30s', USERS: '250' };
      // when
      const config = parseConfig(text, 'config/test.yaml', env);
      // then
      expect(config.baseUrl).to.equal('http://127.0.0.1:8080/Beta');
      expect(config.durationMs).to.equal(90_000);
      expect(config.users.count).to.equal(250);
    });

    it('refuses a reference to an unset variable, naming the file, the key and the variable', () => {
      // given
      const text = withLine('BaseURL', 'BaseURL: https://${API_ID}.execute-api.${REGION}.amazonaws.com/Prod');
      // when
      const error = refusal(text, { REGION: 'us-east-1' });
      // then
      expect(error.message).to.equal(
        'config/test.yaml: BaseURL (line 1) refers to ${API_ID}, but API_ID is not set; set API_ID or pass --base-url',
      );
    });

    it('lets an unset variable through when --base-url replaces the value that holds it', () => {
      // given
      const text = withLine('BaseURL', 'BaseURL: https://${API_ID}.example.com');
      // when
      const config = parseConfig(text, 'config/test.yaml', {}, { baseUrl: 'http://127.0.0.1:9/x' });
      // then
      expect(config.baseUrl).to.equal('http://127.0.0.1:9/x');
    });

    it('ignores variables in comments', () => {
      // given
      const text = `# set \${API_ID} before running\n${VALID}`;
      // when
      const config = parseConfig(text, 'config/test.yaml', {});
      // then
      expect(config.adsCount).to.equal(1_000_000);
    });
  });

  describe('refuses', () => {
    const cases: [string, string, string][] = [
      [
        'an unknown top-level key',
        `${VALID}Region: us-east-1\n`,
        'config/test.yaml: unknown key Region; the keys allowed at the top level are BaseURL, Duration, Ads, Users',
      ],
      [
        'an unknown nested key, suggesting the right case',
        withLine('ViewVariance', '  viewVariance: 0.1'),
        'unknown key Users.viewVariance (did you mean ViewVariance?)',
      ],
      [
        'a duration it cannot read',
        withLine('ViewFrequency', '  ViewFrequency: 5 seconds'),
        'config/test.yaml: Users.ViewFrequency is "5 seconds"; it must be a duration above zero',
      ],
      [
        'a duration with no unit',
        withLine('Duration', 'Duration: 30'),
        'config/test.yaml: Duration is 30; a duration needs a unit, e.g. 30s or 30ms',
      ],
      [
        'a zero view frequency',
        withLine('ViewFrequency', '  ViewFrequency: 0s'),
        'config/test.yaml: Users.ViewFrequency is "0s"; it must be a duration above zero',
      ],
      [
        'a view frequency finer than a millisecond',
        withLine('ViewFrequency', '  ViewFrequency: 100ns'),
        'config/test.yaml: Users.ViewFrequency is "100ns"; it must be at least 1ms',
      ],
      [
        'a negative consider duration',
        withLine('ConsiderDuration', '  ConsiderDuration: -1s'),
        'config/test.yaml: Users.ConsiderDuration is "-1s"; it must be a duration of zero or more',
      ],
      [
        'a probability above 1',
        withLine('ClickthroughProbability', '  ClickthroughProbability: 1.5'),
        'config/test.yaml: Users.ClickthroughProbability is 1.5; it must be a number from 0 to 1',
      ],
      [
        'a negative probability',
        withLine('ClickthroughProbability', '  ClickthroughProbability: -0.1'),
        'config/test.yaml: Users.ClickthroughProbability is -0.1; it must be a number from 0 to 1',
      ],
      [
        'a quoted probability',
        withLine('ClickthroughProbability', '  ClickthroughProbability: "0.3"'),
        'config/test.yaml: Users.ClickthroughProbability is "0.3"; it must be a number from 0 to 1',
      ],
      [
        'a variance above 1',
        withLine('ConsiderVariance', '  ConsiderVariance: 2'),
        'config/test.yaml: Users.ConsiderVariance is 2; it must be a fraction from 0 to 1',
      ],
      [
        'a missing BaseURL',
        withLine('BaseURL'),
        'config/test.yaml: BaseURL is missing; it must be an http:// or https:// URL',
      ],
      [
        'a BaseURL that is not http',
        withLine('BaseURL', 'BaseURL: ftp://example.com/x'),
        'config/test.yaml: BaseURL is "ftp://example.com/x"; it must be an http:// or https:// URL',
      ],
      [
        'a zero ad count',
        withLine('Count: 1000000', '  Count: 0'),
        'config/test.yaml: Ads.Count is 0; it must be a whole number from 1 to 10000000',
      ],
      [
        'a negative user count',
        withLine('Count: 1000', '  Count: -5'),
        'config/test.yaml: Users.Count is -5; it must be a whole number from 1 to 10000000',
      ],
      [
        'a fractional user count',
        withLine('Count: 1000', '  Count: 2.5'),
        'config/test.yaml: Users.Count is 2.5; it must be a whole number',
      ],
      [
        'a missing section',
        VALID.split('Users:')[0]!,
        'config/test.yaml: Users is missing; it needs the keys Count, ClickthroughProbability',
      ],
      [
        'a section that is not a mapping',
        withLine('Ads:', 'Ads: 5').replace('  Count: 1000000\n', ''),
        'config/test.yaml: Ads is 5; it must be a mapping with the keys Count',
      ],
      ['a file that is not YAML', 'BaseURL: [http://x\nDuration: 1s\n', 'config/test.yaml is not valid YAML at line'],
      [
        'a file that is a list',
        '- BaseURL: http://x\n',
        'config/test.yaml must be a YAML mapping with the keys BaseURL, Duration, Ads, Users, not a list',
      ],
      ['an empty file', '# nothing\n', 'config/test.yaml is empty'],
    ];
    for (const [what, text, message] of cases) {
      it(`${what}, naming the file, the key and the value`, () => {
        // given the text; when
        const error = refusal(text);
        // then
        expect(error.message).to.contain(message);
      });
    }

    it('every problem at once', () => {
      // given
      const text = withLine('Duration', 'Duration: soon').replace(
        'ClickthroughProbability: 0.3',
        'ClickthroughProbability: 3',
      );
      // when
      const error = refusal(text);
      // then
      expect(error.message).to.equal(
        'config/test.yaml has 2 problems:\n' +
          '  - Duration is "soon"; it must be a duration above zero, written like 5s, 100ms, 1m30s or 72h\n' +
          '  - Users.ClickthroughProbability is 3; it must be a number from 0 to 1',
      );
    });

    it('a file that does not exist, naming it', async () => {
      // given
      const dir = await mkdtemp(join(tmpdir(), 'loadgen-config-'));
      try {
        // when
        const error = await loadConfig('missing.yaml', { cwd: dir, env: {} }).catch((e: unknown) => e);
        // then
        expect(error).to.be.instanceOf(ConfigError);
        expect((error as Error).message).to.equal(
          'cannot read load generator configuration missing.yaml: no such file; pass its path with -c',
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('command-line overrides', () => {
    it('replace BaseURL and Duration, which the file may then omit', async () => {
      // given
      const dir = await mkdtemp(join(tmpdir(), 'loadgen-config-'));
      await writeFile(join(dir, 'lg.yaml'), withLine('Duration').replace(/^BaseURL.*\n/, ''));
      try {
        // when
        const config = await loadConfig('lg.yaml', {
          cwd: dir,
          env: {},
          overrides: { baseUrl: 'http://127.0.0.1:1/api', duration: '750ms' },
        });
        // then
        expect(config.baseUrl).to.equal('http://127.0.0.1:1/api');
        expect(config.durationMs).to.equal(750);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('are refused as usage errors naming the flag', () => {
      // given a valid file; when
      const bad = () => parseConfig(VALID, 'config/test.yaml', {}, { duration: '10 minutes' });
      const badUrl = () => parseConfig(VALID, 'config/test.yaml', {}, { baseUrl: 'localhost' });
      // then
      expect(bad).to.throw(UsageError, '--duration is "10 minutes"; it must be a duration above zero');
      expect(badUrl).to.throw(UsageError, '--base-url is "localhost"; it must be an http:// or https:// URL');
      expect(() => parseConfig(VALID, 'config/test.yaml', {}, { duration: '0s' })).to.throw(
        UsageError,
        '--duration is "0s"',
      );
    });
  });
});

describe('Go durations', () => {
  it('reads every unit and compound durations', () => {
    // given / when / then
    expect(parseDuration('72h')).to.equal(259_200_000);
    expect(parseDuration('5s')).to.equal(5000);
    expect(parseDuration('100ms')).to.equal(100);
    expect(parseDuration('1m30s')).to.equal(90_000);
    expect(parseDuration('1.5s')).to.equal(1500);
    expect(parseDuration('1h2m3s4ms')).to.equal(3_723_004);
    expect(parseDuration('250us')).to.equal(0.25);
    expect(parseDuration('500ns')).to.equal(0.0005);
    expect(parseDuration('0')).to.equal(0);
    expect(parseDuration('-2s')).to.equal(-2000);
  });

  it('rejects what Go rejects', () => {
    // given / when / then
    for (const text of ['', '5', 's', '1d', '1 s', '1.2.3s', 'h1', '5sec'])
      expect(parseDuration(text), text).to.equal(undefined);
  });

  it('writes durations back in the same style', () => {
    // given / when / then
    expect(formatDuration(259_200_000)).to.equal('72h');
    expect(formatDuration(90_000)).to.equal('1m30s');
    expect(formatDuration(3_600_500)).to.equal('1h0m0.5s');
    expect(formatDuration(300)).to.equal('300ms');
    expect(formatDuration(2005)).to.equal('2.005s');
  });
});
