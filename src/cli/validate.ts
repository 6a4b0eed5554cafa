import type { Register } from './commands';

export const register: Register = (program, io) => {
  program
    .command('validate')
    .summary('check branch configs and lint every template with cfn-lint')
    .description(
      'check the branch config files (config/<branch>.json) against the root template\'s parameters, then lint every generated template ' +
        'with cfn-lint; prints each problem as file:line:col rule message (exit 0 clean, 1 lint findings, 2 bad usage or config problems); writes nothing',
    )
    .option('--branch <name>', 'check only config/NAME.json (default: every config file)')
    .option('--json', 'print {configs, templates, findings} as JSON on stdout')
    .action(async (flags: { branch?: string; json?: boolean }) => {
      const { validate } = await import('../validate');
      const { projectRoot } = await import('../paths');
      await validate({ root: projectRoot(), branch: flags.branch, json: Boolean(flags.json) }, io);
    });
};
