// A yes/no question on the terminal, for confirming a change set. Only asked
// when stdin is a terminal (io.canPrompt); Ctrl-C or end of input means no.

/** Asks on stderr and reads one line from stdin; true only for "y" or "yes". */
export async function askYesNo(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await new Promise<boolean>((resolve) => {
      rl.once('close', () => resolve(false));
      rl.once('SIGINT', () => rl.close());
      rl.question(question, (answer) => resolve(/^y(es)?$/i.test(answer.trim())));
    });
  } finally {
    rl.close();
  }
}
