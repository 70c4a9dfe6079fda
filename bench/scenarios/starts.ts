import type { Client } from '@temporalio/client';
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
  const pathway = await pathwayStarts(client, pathwayQueue, n, tag);
  const noopMs = await pool(n, CONCURRENCY, async (i) => {
    const w = await startNoop(client, baselineQueue, `${tag}-${i}`);
    await w.handle.query(countQuery);
  });
  return { pathway, noop: (n / noopMs) * 1000 };
}

/** Pathways started per second on `taskQueue`, each counted once its first task has run. */
export async function pathwayStarts(client: Client, taskQueue: string, n: number, tag: string): Promise<number> {
  const ms = await pool(n, CONCURRENCY, async (i) => {
    const p = await startPathway(client, taskQueue, `${tag}-${i}`);
    await p.handle.query(viewQuery, p.actor);
  });
  return (n / ms) * 1000;
}
