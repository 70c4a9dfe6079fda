import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { loadMailConfig } from '../../activities/mail';
import { clientDataConverter, workerDataConverter } from '../../codec/data-converter';
import { DAY, type Command } from '../../machines';
import { addPathwaySearchAttributes } from '../../scripts/search-attributes-admin';
import { testServerPath } from '../../scripts/temporal-paths';
import { viewQuery } from '../../workflows/messages';
import { openRecords, upsertFacility } from '../../records';
import { createActivities } from '../../worker/activities';
import { createRecordsAtOnce } from '../../worker/records-at-once';
import { createPathwayWorker } from '../../worker/create-worker';
import type { Bench } from '../context';
import { benchKeyring } from '../keys';
import { member } from '../../test/support/actors';
import { startNoop, startPathway, type PathwayDriver } from '../drive';

async function history(h: WorkflowHandle) {
  const events = await h.fetchHistory();
  return { events: events.events?.length ?? 0, kib: proto.temporal.api.history.v1.History.encode(events).finish().length / 1024 };
}

/** An ordinary pathway: outreach, assessment, a place, a stay run past its limit, discharge, follow-up. */
async function wholePathway(env: TestWorkflowEnvironment, p: PathwayDriver): Promise<number> {
  let actions = 0;
  const send = async (team: string, command: Command) => {
    await p.send(command, member(team));
    actions += 1;
  };
  await send('outreach', { type: 'contact.log', outcome: 'reached' });
  await send('outreach', { type: 'consent.record', given: true });
  await send('outreach', { type: 'referral.request' });
  await send('psychiatry-liaison', { type: 'handoff.accept' });
  await send('psychiatry-liaison', { type: 'assessment.outcome', outcome: 'care-place' });
  await send('care-place', { type: 'handoff.accept' });
  await send('care-place', { type: 'waitlist.join', facilityId: 'bench-house' });
  // The facility workflow grants the place.
  while ((await p.handle.query(viewQuery, p.actor)).stage !== 'stay') await new Promise((r) => setTimeout(r, 100));
  p.version = (await p.handle.query(viewQuery, p.actor)).version;
  await send('care-place', { type: 'note.add', text: 'moved in' });
  await env.sleep(40 * DAY);
  await send('care-place', { type: 'dischargePlanning.start' });
  await env.sleep(17 * DAY); // past the limit: every reminder and the escalation have fired
  await send('care-place', { type: 'discharge.request' });
  await send('housing-support', { type: 'handoff.accept' });
  await send('housing-support', { type: 'followUp.complete', outcome: 'stable' });
  await p.handle.result();
  return actions;
}

/**
 * A whole pathway with an eight-week stay, on the time-skipping test server so the weeks pass
 * in seconds and every reminder fires on its day. Its history at the close, against a no-op
 * workflow that answered as many Updates.
 */
export async function stayHistory(b: Bench): Promise<void> {
  const server = testServerPath();
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    ...(server ? { server: { executable: { type: 'existing-path' as const, path: server } } } : {}),
    client: { dataConverter: clientDataConverter(benchKeyring) },
  });
  const records = await openRecords({ dataDir: mkdtempSync(join(tmpdir(), 'bench-stay-')) });
  await upsertFacility(records.db, { id: 'bench-house', name: 'Bench house', capacity: 2, active: true });
  try {
    await addPathwaySearchAttributes(env.connection, 'default');
    const queue = 'bench-stay';
    const worker = await createPathwayWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue: queue,
      workflowBundlePath: b.h.bundles.pathway,
      activities: createActivities({ client: env.client, taskQueue: queue, mail: loadMailConfig({}), records }),
      recordsAtOnce: createRecordsAtOnce({ client: env.client, records }),
      dataConverter: workerDataConverter(benchKeyring),
    });
    const baseline = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: `${queue}-noop`,
      workflowBundle: { codePath: b.h.bundles.baseline },
      dataConverter: workerDataConverter(benchKeyring),
    });
    const [pathway, noop, actions] = await baseline.runUntil(() =>
      worker.runUntil(async () => {
        const p = await startPathway(env.client, queue, 'eight-weeks');
        const actions = await wholePathway(env, p);
        const n = await startNoop(env.client, `${queue}-noop`, 'eight-weeks');
        for (let i = 0; i < actions; i++) await n.act();
        return [await history(p.handle), await history(n.handle), actions] as const;
      }),
    );
    b.log(`  ${pathway.events} events, ${pathway.kib.toFixed(1)} KiB for ${actions} actions and a stay past its limit`);
    const baselineLabel = `no-op workflow, ${actions} Updates`;
    const measure = `a whole pathway with an eight-week stay (${actions} actions)`;
    b.add({ section: 'history', measure: `events in ${measure}`, value: pathway.events, unit: 'events', better: 'lower', baseline: { label: baselineLabel, value: noop.events } });
    b.add({ section: 'history', measure: `size of ${measure}`, value: pathway.kib, unit: 'KiB', better: 'lower', baseline: { label: baselineLabel, value: noop.kib } });
  } finally {
    await env.teardown();
    await records.close();
  }
}
