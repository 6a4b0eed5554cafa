// Before a change set is executed, deploy shows what the change does to the
// deployed stack and its nested stacks (the `dataless diff` report, on
// stderr) and names in its question what the change risks: data lost,
// permissions or network access broadened.
import type { Stack } from '@aws-sdk/client-cloudformation';
import type { IO } from '../../io';
import type { Summary } from '../../diff/model';

/** Options of reviewChange. */
export interface ReviewOptions {
  /** The repository root. */
  readonly root: string;
  /** The stack about to be updated. */
  readonly stackName: string;
  readonly region: string;
  /** The root template deployed, absolute or relative to the root. */
  readonly template: string;
  /** The branch whose config supplies the parameters, to compare its values with the stack's. @default none */
  readonly branch?: string;
  /** The stack as deploy has just described it. */
  readonly stack: Stack;
}

/**
 * Shows the report against the deployed stack; returns what the change risks,
 * or undefined. The report advises, the change set decides: when the deployed
 * templates cannot be read or compared, it says so and the deploy goes on.
 */
export async function reviewChange(options: ReviewOptions, io: IO): Promise<string | undefined> {
  const { compareDeployed } = await import('../../diff');
  const { renderReport } = await import('../../diff/render');
  try {
    const found = await compareDeployed({ ...options, deployedStack: options.stack }, io);
    if (!found.deployed) return undefined;
    io.err(renderReport(found.deployed.report, 'text', { base: found.deployed.base, color: io.color }));
    return risks(found.deployed.report.summary);
  } catch (error) {
    io.err(
      `diff: cannot compare with the deployed stack ${options.stackName} (${(error as Error).message}); the change set below is what CloudFormation will do\n`,
    );
    return undefined;
  }
}

/** What a report's changes risk, as words for the confirmation question; undefined when nothing. */
export function risks(summary: Summary): string | undefined {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (summary.dataLoss > 0) parts.push(`loses the data of ${plural(summary.dataLoss, 'resource')}`);
  if (summary.broadening > 0)
    parts.push(`broadens permissions or network access (${plural(summary.broadening, 'change')})`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}
