import { join } from 'node:path';
import { durablePragmas } from '../../scripts/dev-server';
import type { Bench } from '../context';
import { startHarness, type Bundles } from '../harness';
import { starts } from './starts';
import { roundTrip } from './transitions';

const CLIENTS = 8;

/**
 * The dev server keeps everything in one SQLite file behind one connection, so its pragmas
 * bound what one machine can do. Each setting gets a fresh server: SQLite's defaults
 * (rollback journal, synchronous=FULL), WAL with synchronous=NORMAL (survives a process
 * crash, may lose the last commits on power loss) and what `npm start` runs, WAL with
 * synchronous=FULL (survives both). The last is the baseline.
 */
export async function pragmas(b: Omit<Bench, 'h'>, bundles: Bundles, dir: string): Promise<void> {
  const settings = [
    { label: 'WAL, synchronous=FULL (npm start)', pragmas: durablePragmas },
    { label: 'SQLite defaults', pragmas: {} },
    { label: 'WAL, synchronous=NORMAL', pragmas: { journal_mode: 'wal', synchronous: 'normal' } },
  ];
  const measured: { label: string; starts: number; transitions: number; noops: number }[] = [];
  for (const [i, s] of settings.entries()) {
    const h = await startHarness({ dir: join(dir, `pragmas-${i}`), bundles, pragmas: s.pragmas });
    try {
      const here: Bench = { ...b, h, sizes: { ...b.sizes, BENCH_STARTS: Math.min(60, b.sizes.BENCH_STARTS) } };
      await starts({ ...here, sizes: { ...here.sizes, BENCH_STARTS: 20 } }, 'warm');
      const started = await starts(here);
      const { pathway, noop } = await roundTrip(here, CLIENTS);
      measured.push({ label: s.label, starts: started.pathway, transitions: pathway.perSecond, noops: noop.perSecond });
      b.log(`  ${s.label}: ${started.pathway.toFixed(0)} starts/s, ${pathway.perSecond.toFixed(0)} transitions/s, ${noop.perSecond.toFixed(0)} no-op Updates/s`);
    } finally {
      await h.stop();
    }
  }
  const [durable, ...others] = measured;
  for (const m of others) {
    const baseline = (value: number) => ({ label: durable!.label, value });
    b.add({ section: 'SQLite', measure: `${m.label}: pathway starts per second`, value: m.starts, unit: '/s', better: 'higher', baseline: baseline(durable!.starts) });
    b.add({ section: 'SQLite', measure: `${m.label}: transitions per second, ${CLIENTS} clients`, value: m.transitions, unit: '/s', better: 'higher', baseline: baseline(durable!.transitions) });
    b.add({ section: 'SQLite', measure: `${m.label}: no-op Updates per second, ${CLIENTS} clients`, value: m.noops, unit: '/s', better: 'higher', baseline: baseline(durable!.noops) });
  }
}
