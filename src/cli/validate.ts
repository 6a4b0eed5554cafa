import type { Register } from './commands';
import { runAndPresent } from './present';

export const register: Register = (program, io) => {
  program
    .command('validate')
    .summary('check branch configs, lint every template with cfn-lint and scan it with checkov')
    .description(
      "check the branch config files (config/<branch>.json) against the root template's parameters, then lint every generated template " +
        'with cfn-lint and scan it with checkov, as shipped and with every condition on (so optional resources are scanned too); prints each ' +
        'problem as file:line:col rule message (exit 0 clean, 1 lint findings or failed security checks, 2 bad usage or config problems); writes nothing',
    )
    .option('--branch <name>', 'check only config/NAME.json (default: every config file)')
    .option('--json', 'print {configs, templates, findings, scanFindings} as JSON on stdout')
    .option('--no-scan', 'skip the checkov security scan (cfn-lint still runs)')
    .action(async (flags: { branch?: string; json?: boolean; scan: boolean }) => {
      const { validate, formatValidate } = await import('../validate');
      const { projectRoot } = await import('../paths');
      await runAndPresent(io, () => validate({ root: projectRoot(), branch: flags.branch, scan: flags.scan }, io), {
        json: Boolean(flags.json),
        text: formatValidate,
      });
    });
};
