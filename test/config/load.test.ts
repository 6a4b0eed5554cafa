import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { branchConfigPath, listBranches, loadConfig } from '../../src/config/load';
import { ConfigError, UsageError } from '../../src/errors';
import { projectRoot } from '../../src/paths';
import { thrown } from '../support/failure';
import { configText, fixtureTemplate } from './fixture';

describe('loadConfig', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'dataless-config-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('returns the values of a good config', () => {
    write('config/dev.json', configText({ Stage: 'Dev', CoreCount: 2 }));
    const config = loadConfig(root, 'dev', { template: fixtureTemplate() });
    expect(config).to.deep.equal({
      branch: 'dev',
      file: 'config/dev.json',
      parameters: { Owner: 'data', Stage: 'Dev', CoreCount: '2' },
    });
  });

  it('throws a ConfigError (exit 2) that lists every problem with file, line and column', () => {
    write('config/dev.json', configText({ Stgae: 'Dev', CoreCount: 0 }));
    const error = thrown(() => loadConfig(root, 'dev', { template: fixtureTemplate() }));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).exitCode).to.equal(2);
    expect(error.message).to.equal(
      [
        'config/dev.json has 2 problems:',
        '  config/dev.json:5:5 config-unknown-parameter Parameters.Stgae: unknown parameter; did you mean Stage?',
        '  config/dev.json:6:18 config-range Parameters.CoreCount: 0 is below the minimum 1; use a number from 1 to 256 (or the same number as a string, such as "1")',
      ].join('\n'),
    );
  });

  it('names the missing file and the branches that have one', () => {
    write('config/master.json', configText({}));
    write('config/release/v1.json', configText({}));
    const error = thrown(() => loadConfig(root, 'feature', { template: fixtureTemplate() }));
    expect(error).to.be.instanceOf(ConfigError);
    expect((error as ConfigError).code).to.equal('CONFIG_MISSING');
    expect(error.message).to.equal(
      'config/feature.json does not exist (the branches with a config are master, release/v1); create it, e.g. by copying config/master.json',
    );
  });

  it('says so when there are no config files at all', () => {
    expect(thrown(() => loadConfig(root, 'master')).message).to.contain('there are no config files in config/');
  });

  it('reads a branch with a slash from a subfolder', () => {
    write('config/feature/dns.json', configText({ Stage: 'Dns' }));
    expect(loadConfig(root, 'feature/dns', { template: fixtureTemplate() }).parameters.Stage).to.equal('Dns');
  });

  it('checks against the root application template by default', () => {
    write(
      'config/dev.json',
      '{"Parameters": {"DeploymentPreference": "AllAtOnce", "EnableRedshift": "yes", "BatchEngine": "data-pipeline"}}',
    );
    expect(thrown(() => loadConfig(root, 'dev')).message).to.contain(
      'config/dev.json:1:72 config-redshift Parameters.RedshiftPassword: is empty while EnableRedshift is set',
    );
  });

  describe('branch names', () => {
    it('map to config/<branch>.json', () => {
      expect(branchConfigPath('master')).to.equal('config/master.json');
      expect(branchConfigPath('feature/x-1.2')).to.equal('config/feature/x-1.2.json');
    });

    it('are refused when they would leave the config folder or name the schema', () => {
      for (const bad of ['../etc/passwd', 'a/../b', '/abs', '', 'a//b', 'schema', '.hidden']) {
        const error = thrown(() => branchConfigPath(bad));
        expect(error, bad).to.be.instanceOf(UsageError);
        expect(error.message).to.contain(`branch name ${JSON.stringify(bad)} cannot name a config file`);
      }
    });
  });

  describe('listBranches', () => {
    it('lists every config file but the schema, sorted, with subfolders', () => {
      write('config/schema.json', '{}');
      write('config/master.json', '{}');
      write('config/loadgen.yaml', 'x: 1');
      write('config/feature/a.json', '{}');
      write('config/dev.json', '{}');
      expect(listBranches(root)).to.deep.equal(['dev', 'feature/a', 'master']);
    });
  });

  describe('the committed config/master.json', () => {
    it('is valid for the root template and sets only the deployment preference', () => {
      const config = loadConfig(projectRoot(), 'master');
      expect(config.parameters).to.deep.equal({ DeploymentPreference: 'AllAtOnce' });
      expect(readFileSync(join(projectRoot(), 'config/master.json'), 'utf8')).not.to.match(/DNS|HostedZone/);
    });
  });
});
