// Dates and timestamps as the warehouse writes them: days are `YYYY-MM-DD`,
// timestamps `YYYY-MM-DD HH:MM:SS[.mmm]` in UTC (the form the Hive and Glue
// jobs compare against). ISO 8601 input with a `T` and a zone is accepted too
// and converted to UTC.

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[ Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 into the 1900s.
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return lastDay.getUTCDate();
}

function validDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Whether `text` is a real calendar day written `YYYY-MM-DD`. */
export function isDay(text: string): boolean {
  const m = DAY.exec(text);
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The UTC day of `at` as `YYYY-MM-DD`. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export interface Timestamp {
  /** Milliseconds since the epoch. */
  readonly epochMs: number;
  /** `YYYY-MM-DD HH:MM:SS`, plus `.mmm` when the input had a fraction, in UTC. */
  readonly canonical: string;
}

/**
 * Parses `YYYY-MM-DD HH:MM:SS[.fff]` (UTC) or the ISO 8601 form with `T` and
 * an optional `Z` or `±HH:MM` offset. Returns undefined for anything else,
 * including impossible dates and times. Fractions finer than a millisecond
 * are truncated.
 */
export function parseTimestamp(text: string): Timestamp | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (year < 1000 || !validDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = m[7];
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const epochMs = Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const utc = new Date(epochMs);
  // An offset can carry a boundary year out of the four-digit range.
  if (utc.getUTCFullYear() < 1000 || utc.getUTCFullYear() > 9999) return undefined;
  const iso = utc.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const canonical = `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction === undefined ? '' : iso.slice(19, 23)}`;
  return { epochMs, canonical };
}
