import { resolve } from 'node:path';
import type { Register } from './commands';
import { runAndPresent } from './present';

export const register: Register = (program, io) => {
  program
    .command('synth')
    .summary('generate build.yaml, templates-out/ and config/schema.json')
    .description(
      'generate build.yaml, the application templates under templates-out/ and config/schema.json from the typed stacks; files whose content is unchanged are left alone',
    )
    .option('--out <dir>', 'write the files under DIR instead of the repository root')
    .option('--check', 'write nothing; list stale, missing or extra generated files and exit 1 if there are any')
    .action(async (flags: { out?: string; check?: boolean }) => {
      const { synth, formatSynth } = await import('../synth');
      const { projectRoot } = await import('../paths');
      const check = Boolean(flags.check);
      await runAndPresent(
        io,
        () => synth({ root: projectRoot(), outDir: flags.out ? resolve(io.cwd, flags.out) : undefined, check }, io),
        { text: (result) => formatSynth(result, { check }) },
      );
    });
};
