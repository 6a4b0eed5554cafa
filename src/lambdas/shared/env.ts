/** The value of a required environment variable; throws naming it when unset. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`environment variable ${name} is not set; the function's configuration must provide it`);
  }
  return value;
}

/**
 * Wraps a factory so it runs on first use and its result is reused after, so an
 * AWS client is built once per container, after the runtime has set the
 * environment, and not at module load.
 */
export function lazily<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    if (!made) made = { value: make() };
    return made.value;
  };
}
