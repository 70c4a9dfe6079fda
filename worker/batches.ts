/**
 * Gathers what comes within `waitMs` of the first into one write (at most `maxItems` in one),
 * and writes one batch at a time, in order. Each item's promise settles with its batch's write.
 */
export interface Batches<T> {
  add(item: T): Promise<void>;
  /** Writes what waits now; resolves once every write begun has ended. */
  drain(): Promise<void>;
}

export function batches<T>(writeAll: (items: T[]) => Promise<void>, o: { waitMs: number; maxItems: number }): Batches<T> {
  let waiting: { item: T; resolve: () => void; reject: (err: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  // Settles, never rejects: each batch's failure goes to its own items.
  let last = Promise.resolve();
  const send = () => {
    clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    last = last
      .then(() => writeAll(batch.map((b) => b.item)))
      .then(
        () => batch.forEach((b) => b.resolve()),
        (err: unknown) => batch.forEach((b) => b.reject(err)),
      );
  };
  return {
    add: (item) =>
      new Promise((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (waiting.length >= o.maxItems) send();
        else timer ??= setTimeout(send, o.waitMs);
      }),
    drain: () => {
      if (waiting.length > 0) send();
      return last;
    },
  };
}
