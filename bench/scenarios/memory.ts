import { viewQuery } from '../../workflows/messages';
import { countQuery } from '../baseline-workflow';
import type { Bench } from '../context';
import { startNoop, startPathway } from '../drive';
import { pool } from '../stats';

const WARM = 10;

/**
 * Resident memory a worker process gains per workflow in its cache: N pathways (each having
 * taken two actions) against N no-op workflows (each having answered two Updates), each
 * kind in a fresh worker process of its own. The first few load the bundle and are not counted.
 */
export async function memory(b: Bench): Promise<void> {
  const n = b.sizes.BENCH_CACHED;
  const perWorkflow = async (kind: 'pathway' | 'noop') => {
    const queue = `bench-memory-${kind}`;
    const worker = await b.h.spawnWorker({ ...(kind === 'pathway' ? { pathwayQueue: queue } : { baselineQueue: queue }), maxCachedWorkflows: n + WARM + 10 });
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
      const before = await worker.rss();
      await load(WARM, n);
      return ((await worker.rss()) - before) / n;
    } finally {
      await worker.stop();
    }
  };
  const pathway = await perWorkflow('pathway');
  const noop = await perWorkflow('noop');
  b.log(`  ${(pathway / 1024).toFixed(0)} KiB per cached pathway, ${(noop / 1024).toFixed(0)} KiB per cached no-op workflow`);
  b.add({
    section: 'memory',
    measure: `worker resident memory per cached pathway (${n} cached)`,
    value: pathway / 1024,
    unit: 'KiB',
    better: 'lower',
    baseline: { label: 'per cached no-op workflow', value: noop / 1024 },
    target: 2,
  });
}
