import { viewQuery } from '../../workflows/messages';
import { countQuery } from '../baseline-workflow';
import type { Bench } from '../context';
import { startNoop, startPathway } from '../drive';
import { pool } from '../stats';

const WARM = 10;

/**
 * Heap a worker gains per workflow in its cache: N pathways (each having taken two actions)
 * against N no-op workflows (each having answered two Updates), each kind in a fresh worker
 * process of its own. The workflows run in the process's main isolate, in the same reusable
 * context as production's worker threads, so a full collection before each reading leaves what
 * they hold; resident memory moved by tens of percent between runs. The first few load the
 * bundle and the shared modules, and are not counted.
 */
export async function memory(b: Bench): Promise<void> {
  const n = b.sizes.BENCH_CACHED;
  const perWorkflow = async (kind: 'pathway' | 'noop') => {
    const queue = `bench-memory-${kind}`;
    const worker = await b.h.spawnWorker({ ...(kind === 'pathway' ? { pathwayQueue: queue } : { baselineQueue: queue }), maxCachedWorkflows: n + WARM + 10, workflowsInMainIsolate: true });
    try {
      const load = (from: number, count: number) =>
        pool(count, 16, async (i) => {
          const id = `memory-${from + i}`;
          if (kind === 'pathway') {
            const p = await startPathway(b.h.client, queue, id);
            for (let k = 0; k < 2; k++) await p.act();
            await p.handle.query(viewQuery, p.actor);
          } else {
            const w = await startNoop(b.h.client, queue, id);
            for (let k = 0; k < 2; k++) await w.act();
            await w.handle.query(countQuery);
          }
        });
      await load(0, WARM);
      const before = await worker.memory();
      await load(WARM, n);
      const after = await worker.memory();
      return { heap: (after.heapUsed - before.heapUsed) / n, rss: (after.rss - before.rss) / n };
    } finally {
      await worker.stop();
    }
  };
  const pathway = await perWorkflow('pathway');
  const noop = await perWorkflow('noop');
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  b.log(`  per cached pathway ${kib(pathway.heap)} heap (${kib(pathway.rss)} resident), per no-op workflow ${kib(noop.heap)} (${kib(noop.rss)})`);
  b.add({
    section: 'memory',
    measure: `worker heap per cached pathway (${n} cached)`,
    value: pathway.heap / 1024,
    unit: 'KiB',
    better: 'lower',
    baseline: { label: 'per cached no-op workflow', value: noop.heap / 1024 },
    target: 2,
  });
}
