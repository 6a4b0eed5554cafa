import { DatalessError } from '../errors';
import { formatDuration } from './duration';
import type { EndpointStats } from './sender';

/** What a run did. */
export interface LoadgenResult {
  /** The impressions endpoint's batches and records. */
  readonly impressions: EndpointStats;
  /** The clicks endpoint's batches and records. */
  readonly clicks: EndpointStats;
  /** Milliseconds from the first event to the last answer. */
  readonly elapsedMs: number;
  /** Milliseconds the users were held back because requests could not keep up. */
  readonly pausedMs: number;
  /** True when the run was stopped (Ctrl-C) before its duration was up. */
  readonly interrupted: boolean;
  /** The configured chance of a click, for comparison with the observed one. */
  readonly configuredClickthrough: number;
}

/** Records posted, over both endpoints. */
export function recordsSent(result: LoadgenResult): number {
  return result.impressions.records + result.clicks.records;
}

/** Records that did not make it, over both endpoints. */
export function recordsFailed(result: LoadgenResult): number {
  return result.impressions.failedRecords + result.clicks.failedRecords;
}

/** Records posted per second of the run. */
export function recordsPerSecond(result: LoadgenResult): number {
  return result.elapsedMs > 0 ? (recordsSent(result) * 1000) / result.elapsedMs : 0;
}

/** Clicks per impression sent. */
function observedClickthrough(result: LoadgenResult): number {
  return result.impressions.records > 0 ? result.clicks.records / result.impressions.records : 0;
}

const count = (n: number) => n.toLocaleString('en-US');
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The text form of a run: the summary printed at its end. */
export function formatLoadgen(result: LoadgenResult): string {
  const { impressions, clicks } = result;
  const batches = impressions.batches + clicks.batches;
  const accepted = impressions.acceptedBatches + clicks.acceptedBatches;
  const transport = impressions.transportErrors + clicks.transportErrors;
  const bad = impressions.badAnswers + clicks.badAnswers;
  const lines = [
    `records sent:  ${count(recordsSent(result))} (${count(impressions.records)} impressions, ${count(clicks.records)} clicks)`,
    `failed:        ${count(recordsFailed(result))} (${count(impressions.failedRecords)} impressions, ${count(clicks.failedRecords)} clicks)`,
    `batches:       ${count(batches)} sent, ${count(accepted)} accepted, ${count(transport)} transport errors, ${count(bad)} refused or unreadable answers`,
    `rate:          ${count(Math.round(recordsPerSecond(result)))} records/s over ${formatDuration(result.elapsedMs)}`,
    `clickthrough:  ${percent(observedClickthrough(result))} observed (${percent(result.configuredClickthrough)} configured)`,
  ];
  if (result.pausedMs > 0)
    lines.push(`paused:        ${formatDuration(result.pausedMs)} waiting for the API to keep up`);
  if (result.interrupted) lines.push('stopped:       interrupted before the configured duration');
  return `${lines.join('\n')}\n`;
}

/** A run in which some records were not accepted: exit status 1, the run attached, so its summary is shown first. */
export class LoadFailedError extends DatalessError {
  /** The run, as the action would have returned it. */
  declare readonly result: LoadgenResult;

  constructor(result: LoadgenResult) {
    super(
      `${count(recordsFailed(result))} of ${count(recordsSent(result))} records were not accepted; ` +
        'the messages above say why (E: no answer, F: refused or unreadable answer)',
      { code: 'LOAD_FAILED' },
    );
    this.withResult(result);
  }
}

/** Throws `LoadFailedError` unless every record was accepted. */
export function assertAccepted(result: LoadgenResult): void {
  if (recordsFailed(result) > 0) throw new LoadFailedError(result);
}
