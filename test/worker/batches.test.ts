import { describe, expect, it } from 'vitest';
import { batches } from '../../worker/batches';

/** A writer that records each batch it is given, and how many writes were under way at once. */
function recorder(o: { fail?: (items: number[]) => boolean; ms?: number } = {}) {
  const written: number[][] = [];
  let underWay = 0;
  let mostAtOnce = 0;
  const write = async (items: number[]) => {
    underWay += 1;
    mostAtOnce = Math.max(mostAtOnce, underWay);
    await new Promise((r) => setTimeout(r, o.ms ?? 1));
    underWay -= 1;
    if (o.fail?.(items)) throw new Error(`refused ${items.join(',')}`);
    written.push(items);
  };
  return { write, written, mostAtOnce: () => mostAtOnce };
}

describe('batches', () => {
  it('writes what comes within the wait in one write', async () => {
    const r = recorder();
    const b = batches(r.write, { waitMs: 20, maxItems: 10 });
    await Promise.all([b.add(1), b.add(2), b.add(3)]);
    await b.add(4);
    expect(r.written).toEqual([[1, 2, 3], [4]]);
  });

  it('writes at once when the batch is full, and the rest after the wait', async () => {
    const r = recorder();
    const b = batches(r.write, { waitMs: 20, maxItems: 2 });
    const first = Promise.all([b.add(1), b.add(2)]);
    const third = b.add(3);
    await first;
    expect(r.written).toEqual([[1, 2]]);
    await third;
    expect(r.written).toEqual([[1, 2], [3]]);
  });

  it('fails the items of a failed write only, and goes on with the next', async () => {
    const r = recorder({ fail: (items) => items.includes(1) });
    const b = batches(r.write, { waitMs: 5, maxItems: 2 });
    const failed = [b.add(1), b.add(2)].map((p) => p.then(() => 'written', (err: Error) => err.message));
    const next = b.add(3);
    expect(await Promise.all(failed)).toEqual(['refused 1,2', 'refused 1,2']);
    await next;
    expect(r.written).toEqual([[3]]);
  });

  it('a writer that throws before its promise fails its batch alone', async () => {
    const written: number[][] = [];
    const b = batches<number>(
      (items) => {
        if (items.includes(1)) throw new Error('thrown');
        written.push(items);
        return Promise.resolve();
      },
      { waitMs: 5, maxItems: 1 },
    );
    await expect(b.add(1)).rejects.toThrow('thrown');
    await b.add(2);
    await b.drain();
    expect(written).toEqual([[2]]);
  });

  it('writes one batch at a time, in order', async () => {
    const r = recorder({ ms: 15 });
    const b = batches(r.write, { waitMs: 1, maxItems: 1 });
    await Promise.all([1, 2, 3, 4].map((i) => b.add(i)));
    expect(r.written).toEqual([[1], [2], [3], [4]]);
    expect(r.mostAtOnce()).toBe(1);
  });

  it('drains: writes what waits without waiting, and ends with the last write', async () => {
    const r = recorder();
    const b = batches(r.write, { waitMs: 60_000, maxItems: 10 });
    const added = b.add(1);
    await b.drain();
    expect(r.written).toEqual([[1]]);
    await added;
    await b.drain();
    expect(r.written).toEqual([[1]]);
  });
});
