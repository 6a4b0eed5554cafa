import type { Command } from 'commander';
import type { ExecutionOptions } from '../aws/deploy/stack';

/** The flags of the commands that deploy through a change set. */
export interface ExecutionFlags {
  yes?: boolean;
  execute: boolean;
  recreate?: boolean;
}

/** Adds --yes, --no-execute and --recreate, which deploy and bootstrap share. */
export function addExecutionFlags(command: Command): Command {
  return command
    .option('--yes', 'execute the change set without asking')
    .option('--no-execute', 'create the change set, show it and leave it for review; prints its name')
    .option('--recreate', 'delete and re-create a stack that a failed first create left in ROLLBACK_COMPLETE');
}

/** The execution options those flags ask for. */
export function executionFlags(flags: ExecutionFlags): ExecutionOptions {
  return { yes: Boolean(flags.yes), execute: flags.execute, recreate: Boolean(flags.recreate) };
}
