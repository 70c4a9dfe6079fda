import { mkdtempSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DAY } from '../../machines';
import { openRecords } from '../../records';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import type { Bench } from '../context';
import { startPathway } from '../drive';
import { eventually } from '../../test/support/eventually';
import { populationTeams } from '../harness';
import { pool, summarize, timed } from '../stats';
import { timerWorkflow } from '../baseline-workflow';

/** Lag probes per population size: pathways whose first reminder falls due together, and as many bare timers. */
const PROBES = 20;
/** How far ahead the probes' reminders fall due: time enough to start them all first. */
const PROBE_LEAD_MS = 10_000;
const REPEATS = 5;

/**
 * A growing population of running pathways, each with its timers armed: one in ten stuck (its
 * no-contact deadline passed), spread over ten teams. At each size: how late reminders are
 * (due time to e-mail accepted), and how long the stuck-case and caseload pages take through
 * the HTTP API, against an unfiltered list of every running workflow.
 */
export async function population(b: Bench): Promise<void> {
  const target: Target = { client: b.h.client, queue: b.h.pathwayQueue };
  const app = await signedInApi(target);
  const lags = new Map<number, number>();
  let size = 0;
  try {
    for (const next of [...b.sizes.BENCH_POPULATIONS].sort((x, y) => x - y)) {
      const ms = await buildPopulation(target, size, next);
      size = next;
      b.log(`  ${size} running pathways (started in ${(ms / 1000).toFixed(0)} s)`);

      const lag = await reminderLag(b, size);
      lags.set(size, lag.pathway);
      b.log(`  reminder lag p50 ${lag.pathway.toFixed(0)} ms, bare timer ${lag.timer.toFixed(0)} ms`);
      b.add({ section: 'reminders', measure: `lag p50, due to e-mail accepted, ${size} pathways armed`, value: lag.pathway, unit: 'ms', better: 'lower', baseline: { label: 'bare timer + activity', value: lag.timer } });
      addQueryRows(b, 'queries', size, await queries(target, app, size));
    }
  } finally {
    await app.close();
  }
  const sizes = [...lags.keys()].sort((x, y) => x - y);
  const [fewest, most] = [sizes[0]!, sizes.at(-1)!];
  if (most > fewest) {
    b.add({
      section: 'reminders',
      measure: `lag p50 with ${most} pathways armed`,
      value: lags.get(most)!,
      unit: 'ms',
      better: 'lower',
      baseline: { label: `with ${fewest} armed`, value: lags.get(fewest)! },
      target: 2,
    });
  }
}

/** Where a population lives: a Temporal client and the pathways' task queue. */
export interface Target {
  client: Client;
  queue: string;
}

/**
 * Starts pathways `pop-<from>` up to `pop-<to - 1>`, one in ten stuck (its no-contact deadline
 * passed), spread over ten teams; resolves once all `to` have run their first task (their
 * search attributes are set), with the milliseconds that took.
 */
export async function buildPopulation({ client, queue }: Target, from: number, to: number): Promise<number> {
  const t0 = Date.now();
  await pool(to - from, 32, async (i) => {
    const n = from + i;
    const stuck = n % 10 === 0;
    await startPathway(client, queue, `pop-${n}`, {
      team: `team-${n % 10}`,
      ...(stuck ? { policy: { outreach: { noContactDays: 1 / 86_400 } } } : {}),
    });
  });
  await eventually(async () => {
    const { count } = await client.workflow.count(`WorkflowType = 'pathwayWorkflow' AND PathwayStage = 'outreach' AND WorkflowId STARTS_WITH 'pathway-pop-'`);
    if (count < to) throw new Error(`only ${count} of ${to} pathways have run their first task`);
  }, 1_200_000);
  return Date.now() - t0;
}

/** The stuck-case and caseload pages of `size` running pathways, each against an unfiltered list of as many. */
export function addQueryRows(b: Bench, section: string, size: number, q: Awaited<ReturnType<typeof queries>>): void {
  const baseline = { label: `unfiltered list of ${size} running`, value: q.list };
  b.add({ section, measure: `stuck cases page, ${size} pathways (${q.stuckRows} rows)`, value: q.stuck, unit: 'ms', better: 'lower', baseline, target: 2 });
  b.add({ section, measure: `caseload page of one team, ${size} pathways (${q.caseloadRows} rows)`, value: q.caseload, unit: 'ms', better: 'lower', baseline, target: 2 });
}

async function reminderLag(b: Bench, size: number): Promise<{ pathway: number; timer: number }> {
  const { client, pathwayQueue, baselineQueue, smtp, worker } = b.h;
  const stamps: number[] = [];
  const dueAts = new Set<number>();
  worker.onStamp((dueAt, at) => dueAts.has(dueAt) && stamps.push(at - dueAt));
  const tag = `lag-${size}-`;
  await pool(PROBES, 8, async (i) => {
    await startPathway(client, pathwayQueue, `${tag}${i}`, { policy: { outreach: { noContactDays: PROBE_LEAD_MS / DAY } } });
    const dueAt = Date.now() + PROBE_LEAD_MS;
    dueAts.add(dueAt);
    await client.workflow.start(timerWorkflow, { taskQueue: baselineQueue, workflowId: `timer-${tag}${i}`, args: [dueAt] });
  });
  const mine = () => smtp.received.filter((m) => m.messageId.includes(`.${tag}`));
  await eventually(() => {
    if (mine().length < PROBES || stamps.length < PROBES) throw new Error(`only ${mine().length} reminders and ${stamps.length} timers of ${PROBES} arrived`);
  }, PROBE_LEAD_MS + 120_000);
  // The notice key ends with the due time the machine computed: `no-contact@<ISO time>`.
  const lags = mine().map((m) => m.at - Date.parse(m.noticeKey.slice(m.noticeKey.indexOf('@') + 1)));
  return { pathway: summarize(lags).p50, timer: summarize(stamps).p50 };
}

export async function signedInApi({ client, queue }: Target) {
  const passwordHash = await hashPassword('bench');
  // Sessions and the registry live in a record store: one of its own, closed with the app.
  const records = await openRecords({ dataDir: mkdtempSync(join(tmpdir(), 'bench-api-')) });
  const app = await buildApp({
    records,
    client,
    taskQueue: queue,
    sessionSecret: 'bench-session-secret-of-enough-length',
    accounts: [
      { id: 'lead', name: 'Lead', role: 'supervisor', teams: populationTeams, passwordHash },
      { id: 'team-3-c1', name: 'Coordinator', role: 'coordinator', teams: ['team-3'], passwordHash },
    ],
  });
  app.addHook('onClose', () => records.close());
  const cookie = async (id: string) => {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { id, password: 'bench' } });
    if (res.statusCode !== 200) throw new Error(`bench sign-in failed: ${res.body}`);
    return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  };
  return Object.assign(app, { cookies: { lead: await cookie('lead'), coordinator: await cookie('team-3-c1') } });
}

/** The two pages through the API, and the first `size` running workflows listed with no filter at all. */
export async function queries(target: Target, app: Awaited<ReturnType<typeof signedInApi>>, size: number) {
  const page = async (url: string, cookie: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie } });
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`);
    return (res.json() as unknown[]).length;
  };
  const list = async () => {
    let n = 0;
    for await (const _ of target.client.workflow.list({ query: `ExecutionStatus = 'Running'` })) if (++n === size) break;
    if (n < size) throw new Error(`only ${n} workflows running, expected at least ${size}`);
  };
  const t = { stuck: [] as number[], caseload: [] as number[], list: [] as number[] };
  let rows = { stuck: 0, caseload: 0 };
  for (let i = 0; i < REPEATS; i++) {
    const [listMs] = await timed(list);
    const [stuckMs, stuckRows] = await timed(() => page('/api/stuck', app.cookies.lead));
    const [caseloadMs, caseloadRows] = await timed(() => page('/api/pathways', app.cookies.coordinator));
    t.list.push(listMs);
    t.stuck.push(stuckMs);
    t.caseload.push(caseloadMs);
    rows = { stuck: stuckRows, caseload: caseloadRows };
  }
  return {
    list: summarize(t.list).p50,
    stuck: summarize(t.stuck).p50,
    caseload: summarize(t.caseload).p50,
    stuckRows: rows.stuck,
    caseloadRows: rows.caseload,
  };
}
