import type { GeneratedFile } from './synth';

/**
 * Generated files other than templates (for example the config schema).
 * Each entry is pure and returns the files it produces.
 */
export const extras: ReadonlyArray<() => GeneratedFile[]> = [
  () => require('./config/schema').schemaFiles(),
];
