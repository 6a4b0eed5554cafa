import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './run';

// Golden files for the help text: a change to any option or description shows
// up as a diff of test/cli/golden/*.txt. Regenerate with UPDATE_GOLDEN=1.
const COMMANDS = [
  '',
  'synth',
  'validate',
  'package',
  'deploy',
  'bootstrap',
  'status',
  'diff',
  'loadgen',
  'local',
  'local up',
  'local batch',
];

async function helpOf(command: string): Promise<{ code: number; text: string }> {
  const { code, io } = await run(...(command ? command.split(' ') : []), '--help');
  return { code, text: io.stdout };
}

describe('--help', () => {
  for (const command of COMMANDS) {
    const name = command.replace(' ', '-') || 'dataless';
    it(`prints the help of ${name} as recorded in test/cli/golden/${name}.txt and exits 0`, async () => {
      const { code, text } = await helpOf(command);
      const golden = join(__dirname, 'golden', `${name}.txt`);
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, text);
      expect(existsSync(golden), `${golden} is missing: run with UPDATE_GOLDEN=1`).to.equal(true);
      expect(code).to.equal(0);
      expect(text).to.equal(readFileSync(golden, 'utf8'));
    });
  }

  it('lists every registered command in the top-level help', async () => {
    const { text } = await helpOf('');
    for (const command of COMMANDS.filter((c) => c !== '' && !c.includes(' ')))
      expect(text).to.match(new RegExp(`^  ${command} `, 'm'));
  });
});
