import { resolve } from 'node:path';

/** The repository root: generated files and configs live relative to it, wherever the command runs from. */
export function projectRoot(): string {
  // Compiled code runs from lib/, sources (tests) from src/: both sit one level below the root.
  return resolve(__dirname, '..');
}
