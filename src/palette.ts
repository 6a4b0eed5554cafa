// ANSI colours for the few words a report highlights; plain text when colour is off.

/** Paints one piece of text. */
export type Paint = (text: string) => string;

/** ANSI colours, or none. */
export function palette(color: boolean): Record<'green' | 'yellow' | 'red' | 'magenta' | 'dim' | 'bold', Paint> {
  const code = (open: number, close: number): Paint =>
    color ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
  return {
    green: code(32, 39),
    yellow: code(33, 39),
    red: code(31, 39),
    magenta: code(35, 39),
    dim: code(2, 22),
    bold: code(1, 22),
  };
}
