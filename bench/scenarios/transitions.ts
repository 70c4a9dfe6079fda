import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { Command } from '../../machines';
import type { Bench } from '../context';
import { member } from '../../test/support/actors';
import { startNoop, startPathway, type Driver, type NoopDriver, type PathwayDriver } from '../drive';
import { summarize, timed, type Latency } from '../stats';
import { cpuAdd, cpuParts, cpuPer, cpuSpent, cpuTotal, noCpu, type CpuTimes } from '../cpu';

export interface Load {
  latency: Latency;
  perSecond: number;
}

/** Every driver acts in a loop for `seconds`, one action at a time each: `drivers.length` concurrent clients. */
export async function load(drivers: Driver[], seconds: number): Promise<Load> {
  return loadOf(await acting(drivers, seconds));
}

const loadOf = ({ samples, ms }: { samples: number[]; ms: number }): Load => ({ latency: summarize(samples), perSecond: (samples.length / ms) * 1000 });

async function acting(drivers: Driver[], seconds: number): Promise<{ samples: number[]; ms: number }> {
  const samples: number[] = [];
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    drivers.map(async (d) => {
      while (performance.now() < until) samples.push((await timed(() => d.act()))[0]);
    }),
  );
  return { samples, ms: performance.now() - t0 };
}

export async function warm(drivers: Driver[]) {
  for (let i = 0; i < 3; i++) await Promise.all(drivers.map((d) => d.act()));
}

/**
 * Slices each side's time is cut into, taken in turn: the machine's drift over a run (other
 * processes, the server's compactions) falls on both sides alike. Run one after the other,
 * the 8-client ratio of the same code ranged 1.26 to 1.67 in four runs. A turn lasts about
 * 1.2 s whatever BENCH_SECONDS, and each side gets at least five.
 */
const turnsOf = (seconds: number) => Math.max(5, Math.round(seconds / 1.2));

/** CPU milliseconds by part per action of each side, where the harness can read it. */
export type CpuPerAction = Record<'pathway' | 'noop', CpuTimes>;

/** Round trip of an action at one client count: each client drives its own pathway, and its own no-op workflow. */
export async function roundTrip(b: Bench, clients: number, tag = 'rt'): Promise<{ pathway: Load; noop: Load; cpu?: CpuPerAction }> {
  const { client, pathwayQueue, baselineQueue } = b.h;
  const pathways = await Promise.all(Array.from({ length: clients }, (_, i) => startPathway(client, pathwayQueue, `${tag}${clients}-${i}`)));
  const noops = await Promise.all(Array.from({ length: clients }, (_, i) => startNoop(client, baselineQueue, `${tag}${clients}-${i}`)));
  await warm(pathways);
  await warm(noops);
  const sides = { noop: { samples: [] as number[], ms: 0, cpu: noCpu() }, pathway: { samples: [] as number[], ms: 0, cpu: noCpu() } };
  const readCpu = b.h.cpu;
  const turns = turnsOf(b.sizes.BENCH_SECONDS);
  for (let turn = 0; turn < turns; turn++) {
    for (const [side, drivers] of [['noop', noops], ['pathway', pathways]] as const) {
      const before = readCpu?.();
      const { samples, ms } = await acting(drivers, b.sizes.BENCH_SECONDS / turns);
      if (readCpu && before) sides[side].cpu = cpuAdd(sides[side].cpu, cpuSpent(before, readCpu()));
      sides[side].samples.push(...samples);
      sides[side].ms += ms;
    }
  }
  const [noop, pathway] = [loadOf(sides.noop), loadOf(sides.pathway)];
  b.log(`  ${clients} clients: ${pathway.perSecond.toFixed(0)} transitions/s against ${noop.perSecond.toFixed(0)} no-op Updates/s`);
  const perAction = (s: (typeof sides)['noop']) => cpuPer(s.cpu, s.samples.length);
  return { pathway, noop, ...(readCpu ? { cpu: { pathway: perAction(sides.pathway), noop: perAction(sides.noop) } } : {}) };
}

/** The rows of what an action costs in CPU, by part and in all, against a no-op Update's. */
function addCpuRows(b: Bench, section: string, cpu: CpuPerAction) {
  const row = (measure: string, value: number, baseline: number) =>
    b.add({ section, measure, value, unit: 'ms', better: 'lower', baseline: { label: 'no-op Update', value: baseline } });
  row('CPU per action, all processes', cpuTotal(cpu.pathway), cpuTotal(cpu.noop));
  for (const part of cpuParts) row(`CPU per action: ${part}`, cpu.pathway[part], cpu.noop[part]);
}

/** Round trip (Update sent to new view back) at each client count, against no-op Updates. */
export async function roundTrips(b: Bench): Promise<Map<number, { pathway: Load; noop: Load }>> {
  const results = new Map<number, { pathway: Load; noop: Load }>();
  for (const clients of b.sizes.BENCH_CLIENTS) {
    const { pathway, noop, cpu } = await roundTrip(b, clients);
    results.set(clients, { pathway, noop });
    const section = `round trip, ${clients} client${clients === 1 ? '' : 's'}`;
    const baseline = (value: number) => ({ label: 'no-op Update', value });
    b.add({ section, measure: 'sustained transitions per second', value: pathway.perSecond, unit: '/s', better: 'higher', baseline: baseline(noop.perSecond), target: 0.7 });
    b.add({ section, measure: 'p50', value: pathway.latency.p50, unit: 'ms', better: 'lower', baseline: baseline(noop.latency.p50), target: 1.2 });
    b.add({ section, measure: 'p95', value: pathway.latency.p95, unit: 'ms', better: 'lower', baseline: baseline(noop.latency.p95) });
    b.add({ section, measure: 'p99', value: pathway.latency.p99, unit: 'ms', better: 'lower', baseline: baseline(noop.latency.p99), target: 1.5 });
    if (cpu) addCpuRows(b, section, cpu);
  }
  return results;
}

/**
 * The history's length once the workflow is quiet: no activity and no workflow task pending.
 * Counted so, the writes a step started (their activity, and the task that takes its result)
 * fall to the actions that started them; read at once, they fell in or out of the count as
 * timing had it (a 5-action journey counted 42 to 56 events).
 */
async function historyLength(d: PathwayDriver | NoopDriver): Promise<number> {
  for (;;) {
    const { historyLength, raw } = await d.handle.describe();
    if ((raw.pendingActivities ?? []).length === 0 && !raw.pendingWorkflowTask) return historyLength;
    await sleep(20);
  }
}

/** History events each kind of action adds, its writes included, against a no-op Update. */
export async function eventsPerTransition(b: Bench): Promise<void> {
  const { client, pathwayQueue, baselineQueue } = b.h;
  const n = 20;
  const noop = await startNoop(client, baselineQueue, 'events');
  await noop.act();
  const noopBefore = await historyLength(noop);
  for (let i = 0; i < n; i++) await noop.act();
  const noopEvents = ((await historyLength(noop)) - noopBefore) / n;
  const baseline = { label: 'no-op Update', value: noopEvents };

  const perAction = async (id: string, commands: { by: string; command: Command }[]) => {
    const p = await startPathway(client, pathwayQueue, id);
    await p.act();
    const before = await historyLength(p);
    for (const { by, command } of commands) await p.send(command, member(by));
    return ((await historyLength(p)) - before) / commands.length;
  };
  const repeat = (command: Command) => Array.from({ length: n }, () => ({ by: 'outreach', command }));
  const rows: [string, number][] = [
    ['note', await perAction('events-note', repeat({ type: 'note.add', text: 'bench' }))],
    ['contact logged (moves the no-contact deadline)', await perAction('events-contact', repeat({ type: 'contact.log', outcome: 'reached' }))],
    [
      'outreach to waiting (5 actions, 2 handoffs)',
      await perAction('events-journey', [
        { by: 'outreach', command: { type: 'consent.record', given: true } },
        { by: 'outreach', command: { type: 'referral.request' } },
        { by: 'psychiatry-liaison', command: { type: 'handoff.accept' } },
        { by: 'psychiatry-liaison', command: { type: 'assessment.outcome', outcome: 'care-place' } },
        { by: 'care-place', command: { type: 'handoff.accept' } },
      ]),
    ],
  ];
  for (const [what, events] of rows) {
    b.add({ section: 'history', measure: `events per action: ${what}`, value: events, unit: 'events', better: 'lower', baseline, limit: 10 });
  }
}

/** A refused action (the validator says no) against an accepted no-op Update; it must add no history. */
export async function rejections(b: Bench): Promise<void> {
  const { client, pathwayQueue, baselineQueue } = b.h;
  const n = 200;
  const p = await startPathway(client, pathwayQueue, 'rejections');
  const noop = await startNoop(client, baselineQueue, 'rejections');
  await p.act();
  await noop.act();
  const refused = async () => {
    try {
      await p.send({ type: 'handoff.accept' }); // no handoff is pending
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) return;
      throw err;
    }
    throw new Error('the bench expected this action to be refused');
  };
  const before = (await p.handle.describe()).historyLength;
  const samples = { refused: [] as number[], accepted: [] as number[] };
  for (let i = 0; i < n; i++) {
    samples.accepted.push((await timed(() => noop.act()))[0]);
    samples.refused.push((await timed(refused))[0]);
  }
  const added = (await p.handle.describe()).historyLength - before;
  const refusedP50 = summarize(samples.refused).p50;
  const acceptedP50 = summarize(samples.accepted).p50;
  const baseline = { label: 'accepted no-op Update', value: acceptedP50 };
  b.add({ section: 'rejection', measure: 'refused action p50', value: refusedP50, unit: 'ms', better: 'lower', baseline, target: 1 });
  b.add({ section: 'rejection', measure: `history events added by ${n} refused actions`, value: added, unit: 'events', better: 'lower', limit: 0 });
}
