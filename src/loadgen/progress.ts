import type { IO } from '../io';

/**
 * The run's stderr: one character per batch (`.` accepted, `E` transport
 * error, `F` refused or unreadable answer) and, between them, error lines.
 */
export class Progress {
  private column = 0;

  constructor(
    private readonly io: IO,
    private readonly width = 80,
  ) {}

  mark(char: '.' | 'E' | 'F'): void {
    this.io.err(char);
    if (++this.column >= this.width) this.endLine();
  }

  line(text: string): void {
    this.endLine();
    this.io.err(`${text}\n`);
  }

  /** Ends a line of marks, so that what follows starts on its own line. */
  endLine(): void {
    if (this.column > 0) {
      this.io.err('\n');
      this.column = 0;
    }
  }
}
