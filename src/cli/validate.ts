import type { Register } from './commands';

export const register: Register = (program, io) => {
  program
    .command('validate')
    .description('lint every generated template with cfn-lint (exit 0 clean, 1 findings, 2 bad usage); writes nothing')
    .option('--json', 'print the findings as JSON on stdout')
    .action(async (flags: { json?: boolean }) => {
      const { validate } = await import('../validate');
      const { projectRoot } = await import('../paths');
      await validate({ root: projectRoot(), json: Boolean(flags.json) }, io);
    });
};
