import { viewQuery } from '../../workflows/messages';
import { countQuery } from '../baseline-workflow';
import type { Bench } from '../context';
import { startNoop, startPathway } from '../drive';
import { pool } from '../stats';

const CONCURRENCY = 16;

/**
 * Starts per second, counting a start done when the workflow has run its first task (its
 * first query is answered), so the worker's share is in the figure, not only the server's.
 */
export async function starts(b: Bench, tag = 'starts'): Promise<{ pathway: number; noop: number }> {
  const { client, pathwayQueue, baselineQueue } = b.h;
  const n = b.sizes.BENCH_STARTS;
  const pathwayMs = await pool(n, CONCURRENCY, async (i) => {
    const p = await startPathway(client, pathwayQueue, `${tag}-${i}`);
    await p.handle.query(viewQuery, p.actor);
  });
  const noopMs = await pool(n, CONCURRENCY, async (i) => {
    const w = await startNoop(client, baselineQueue, `${tag}-${i}`);
    await w.handle.query(countQuery);
  });
  return { pathway: (n / pathwayMs) * 1000, noop: (n / noopMs) * 1000 };
}
