// The error a call ends in, for tests that check what was refused and why.
// Each fails the test when nothing is thrown, so a refusal that silently
// stopped happening cannot pass.

/** The error `promise` rejects with; fails when it resolves. */
export async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure, but it succeeded');
}

/** The error `fn` throws; fails when it returns. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw, but it returned');
}
