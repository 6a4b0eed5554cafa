// Captures what code writes to standard output while it runs, the way the
// Lambda runtime would hand those lines to CloudWatch Logs.

/** Runs `run` with process.stdout.write captured; returns its result and the complete lines written. */
export async function capturingStdout<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const original = process.stdout.write;
  const chunks: string[] = [];
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = rest.find((arg): arg is () => void => typeof arg === 'function');
    done?.();
    return true;
  }) as typeof process.stdout.write;
  let result: T;
  try {
    result = await run();
  } finally {
    process.stdout.write = original;
  }
  const text = chunks.join('');
  const lines = text.split('\n');
  if (lines.at(-1) !== '')
    throw new Error(`standard output ended in an unterminated line: ${JSON.stringify(lines.at(-1))}`);
  return { result, lines: lines.slice(0, -1) };
}

/** The lines that are Embedded Metric Format documents, parsed. */
export function emfDocuments(lines: readonly string[]): Record<string, any>[] {
  return lines
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, any>)
    .filter((document) => document._aws !== undefined);
}
