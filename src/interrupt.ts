// Ctrl-C as an AbortSignal, for the commands that stop cleanly on it: the
// first press fires the signal, so that the command can wind down; a second
// gives SIGINT its default meaning back and ends the process at once.

/** A signal that Ctrl-C fires while installed. */
export interface Interrupt {
  readonly signal: AbortSignal;
  /** Gives Ctrl-C back its previous meaning. */
  dispose(): void;
}

/** `given` when the caller has its own signal; otherwise one that Ctrl-C fires until disposed. */
export function interruptOnSigint(given?: AbortSignal): Interrupt {
  if (given) return { signal: given, dispose: () => undefined };
  const controller = new AbortController();
  const onSigint = () => {
    if (!controller.signal.aborted) {
      controller.abort();
      return;
    }
    process.off('SIGINT', onSigint);
    process.kill(process.pid, 'SIGINT');
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
