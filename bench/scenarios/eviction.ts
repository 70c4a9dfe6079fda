import { defaultRunLimits } from '../../workflows/messages';
import type { Bench } from '../context';
import { startNoop, startPathway, type Driver, type NoopDriver, type PathwayDriver } from '../drive';
import { summarize, timed } from '../stats';

/** Samples per measurement: a replayed action on a long history takes seconds. */
const SAMPLES = { cached: 15, evicted: 5 };
/**
 * Most events one action adds: a pathway's takes a workflow task, the Update's two events and
 * its record write's marker, with a timer or search attributes when they change: six to nine
 * (twelve leaves room).
 */
const MAX_EVENTS_PER_ACTION = 12;

async function latency(d: Driver, n: number): Promise<number> {
  await d.act(); // the first after a change of worker may wait out the old worker's sticky queue
  const samples: number[] = [];
  for (let i = 0; i < n; i++) samples.push((await timed(() => d.act()))[0]);
  return summarize(samples).p50;
}

/** Acts until the history has at least `events` events, in batches too small to overshoot by much. */
async function grow(d: PathwayDriver | NoopDriver, events: number) {
  const first = await d.handle.describe();
  for (let now = first; now.historyLength < events; now = await d.handle.describe()) {
    // The server suggests continue-as-new by history bytes too (each answer carries the view).
    if (now.runId !== first.runId) throw new Error(`${d.handle.workflowId} continued as new at under ${events} events: lower BENCH_HISTORY`);
    for (let i = 0; i < Math.max(1, Math.floor((events - now.historyLength) / MAX_EVENTS_PER_ACTION)); i++) await d.act();
  }
}

/** The first action after an eviction, at the largest history a run reaches, stays under this. */
const FIRST_AFTER_EVICTION_MS = 1_000;

/**
 * An action on a pathway that is not in the worker's cache must replay its whole history
 * first. At each history size: the same pathway while cached (the first worker keeps it),
 * then with a worker that caches nothing, so every task replays; and a no-op workflow of the
 * same history size both ways, which is what the SDK's replay costs with no engine in it.
 * One size is where a pathway's run ends by default (`defaultRunLimits.maxHistoryEvents`): the
 * longest replay a pathway asks for. The others are grown past it, in runs allowed to be longer.
 */
export async function eviction(b: Bench): Promise<void> {
  const pathwayQueue = 'bench-history';
  const baselineQueue = 'bench-history-noop';
  const cached = await b.h.spawnWorker({ pathwayQueue, baselineQueue });
  // Each measurement adds its samples and one more: grow to just short, so they are taken at the size.
  const margin = (SAMPLES.cached + SAMPLES.evicted + 2) * MAX_EVENTS_PER_ACTION;
  const runEnd = defaultRunLimits.maxHistoryEvents;
  const sizes = [...new Set([...b.sizes.BENCH_HISTORY, runEnd])].sort((x, y) => x - y);
  const pairs = await Promise.all(
    sizes.map(async (size) => {
      const pathway = await startPathway(b.h.client, pathwayQueue, `history-${size}`, { limits: { maxHistoryEvents: Math.max(size, runEnd) + margin } });
      const noop = await startNoop(b.h.client, baselineQueue, `history-${size}`);
      await Promise.all([grow(pathway, size - margin), grow(noop, size - margin)]);
      return { size, pathway, noop, runId: (await pathway.handle.describe()).runId };
    }),
  );
  const warm = new Map<number, { pathway: number; noop: number }>();
  for (const p of pairs) warm.set(p.size, { pathway: await latency(p.pathway, SAMPLES.cached), noop: await latency(p.noop, SAMPLES.cached) });
  await cached.stop();
  const uncached = await b.h.spawnWorker({ pathwayQueue, baselineQueue, maxCachedWorkflows: 0 });
  try {
    for (const p of pairs) {
      const evicted = { pathway: await latency(p.pathway, SAMPLES.evicted), noop: await latency(p.noop, SAMPLES.evicted) };
      const d = await p.pathway.handle.describe();
      if (d.runId !== p.runId) throw new Error(`pathway history-${p.size} continued as new while measured: lower BENCH_HISTORY`);
      const cachedMs = warm.get(p.size)!;
      b.log(`  ${d.historyLength} events: ${evicted.pathway.toFixed(0)} ms evicted (no-op ${evicted.noop.toFixed(0)} ms) against ${cachedMs.pathway.toFixed(0)} ms cached (no-op ${cachedMs.noop.toFixed(0)} ms)`);
      const section = 'cache eviction';
      const measure = p.size === runEnd ? `action p50 at the end of a run (${p.size} history events), replayed` : `action p50 with ${p.size} history events, replayed`;
      b.add({ section, measure, value: evicted.pathway, unit: 'ms', better: 'lower', baseline: { label: 'same pathway cached', value: cachedMs.pathway } });
      b.add({
        section,
        measure,
        value: evicted.pathway,
        unit: 'ms',
        better: 'lower',
        baseline: { label: 'no-op workflow of that size, replayed', value: evicted.noop },
        ...(p.size === runEnd ? { limit: FIRST_AFTER_EVICTION_MS } : {}),
      });
    }
  } finally {
    await uncached.stop();
  }
}
