/**
 * Retries `check` until it stops throwing, for what settles asynchronously: visibility
 * (eventually consistent), a facility's grant, an e-mail in flight. Rethrows the last failure.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}
