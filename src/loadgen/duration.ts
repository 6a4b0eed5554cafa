/**
 * Durations written the way Go's `time.ParseDuration` reads them (`72h`,
 * `1m30s`, `100ms`, `1.5s`), because the load generator's configuration file
 * keeps the original tool's format.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign
  μs: 1e-3, // U+03BC Greek small letter mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const WHOLE = /^[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g;

/**
 * Parses a Go duration into milliseconds, or returns undefined when the text
 * is not one. A bare `0` is allowed, as in Go; any other number needs a unit.
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (/^[+-]?0$/.test(trimmed)) return 0;
  if (!WHOLE.test(trimmed)) return undefined;
  const sign = trimmed.startsWith('-') ? -1 : 1;
  let total = 0;
  for (const match of trimmed.matchAll(PART)) {
    total += Number(match[1]) * (UNIT_MS[match[2]!] as number);
  }
  return sign * total;
}

/** Writes milliseconds back as a short Go-style duration, for messages and summaries. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1) return `${round(ms * 1000)}us`;
  if (ms < 1000) return `${round(ms)}ms`;
  let rest = ms;
  let text = '';
  const hours = Math.floor(rest / 3_600_000);
  if (hours > 0) {
    text += `${hours}h`;
    rest -= hours * 3_600_000;
  }
  const minutes = Math.floor(rest / 60_000);
  if (minutes > 0 || (hours > 0 && rest > 0)) {
    text += `${minutes}m`;
    rest -= minutes * 60_000;
  }
  if (rest > 0 || text === '') text += `${round(rest / 1000)}s`;
  return text;
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
