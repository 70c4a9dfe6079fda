/**
 * Records the histories the replay test replays: `npm run record-histories -- <tag> [pathway|facility|runs]`
 * (all groups without the second argument). Run it only when a workflow change is meant to be
 * incompatible (and versioned): the old files must keep replaying against the new code, so it
 * adds files under a new tag and refuses to overwrite any that exist.
 * Payloads are encrypted as in production, under the fixed test key (test-keyring.json), and
 * the files say so in their name (`-encrypted`); the replay test decodes them with that key.
 * `--plain` records without the codec, as histories from before encryption were.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import { DAY } from '../../machines';
import { viewQuery } from '../../workflows/messages';
import { carePlaceLead, carer, housingOfficer, liaison, outreachWorker } from '../support/actors';
import { act, actAcrossRunEnd, startPathway, type PathwayHandle } from '../support/client';
import { testKeyring } from '../support/keys';
import { taskQueue, timeSkipping, worker as createWorker } from '../support/temporal';
import { recordFacility } from './record-facility';

const plain = process.argv.includes('--plain');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const tag = `${args[0] ?? 'v1'}${plain ? '' : '-encrypted'}`;
const groups = args[1] ? [args[1]] : ['pathway', 'facility', 'runs'];
const files: Record<string, string[]> = {
  pathway: ['pathway-full', 'pathway-continued'],
  facility: ['facility-grants', 'pathway-refused-grant'],
  runs: ['pathway-long-run'],
};
const fileOf = (name: string) => new URL(`./${name}-${tag}.history.bin`, import.meta.url);
for (const g of groups) if (!files[g]) throw new Error(`unknown group ${g}: use pathway, facility or runs`);
const taken = groups.flatMap((g) => files[g]!).filter((name) => existsSync(fileOf(name)));
if (taken.length > 0) throw new Error(`not recording: ${taken.map((n) => `${n}-${tag}`).join(', ')} already recorded (pick a new tag)`);

const env = await timeSkipping(plain ? null : testKeyring);
const queue = taskQueue();
const worker = await createWorker(env, queue, { fromSources: true, keyring: plain ? null : testKeyring });

async function save(h: WorkflowHandle, name: string) {
  const history = await h.fetchHistory();
  // Binary protobuf: the SDK's JSON converter trips over duplicate protobufjs copies.
  writeFileSync(fileOf(name), proto.temporal.api.history.v1.History.encode(history).finish());
  console.log(`recorded ${name}-${tag}.history.bin (${history.events?.length} events)`);
}

async function recordPathways() {
  // A whole pathway with time passing: handoffs, a stay with reminders, an extension, follow-up.
  const h = await startPathway(env, queue, { pathwayId: 'recorded-full' });
  await act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' });
  await env.sleep(15 * DAY);
  await act(h, outreachWorker, { type: 'consent.record', given: true });
  await act(h, outreachWorker, { type: 'referral.request' });
  await env.sleep(2 * DAY);
  await act(h, liaison, { type: 'handoff.accept' });
  await act(h, liaison, { type: 'assessment.outcome', outcome: 'care-place' });
  await act(h, carer, { type: 'handoff.accept' });
  await act(h, carer, { type: 'waitlist.join', facilityId: 'skovvang' });
  // The facility workflow grants the place.
  while ((await h.query(viewQuery, carer)).stage !== 'stay') await new Promise((r) => setTimeout(r, 100));
  await env.sleep(30 * DAY);
  await act(h, carer, { type: 'hospital.admit' });
  await env.sleep(3 * DAY);
  await act(h, carer, { type: 'hospital.return' });
  await act(h, carer, { type: 'extension.request', days: 14, reason: 'flat ready in March' });
  await act(h, carePlaceLead, { type: 'extension.approve', reason: 'agreed at team meeting' });
  await env.sleep(40 * DAY);
  await act(h, carer, { type: 'discharge.request' });
  await act(h, housingOfficer, { type: 'handoff.accept' });
  await act(h, housingOfficer, { type: 'followUp.complete', outcome: 'stable' });
  await h.result();
  await save(h, 'pathway-full');

  // A run that ends in continue-as-new after its Update budget.
  const c = await startPathway(env, queue, { pathwayId: 'recorded-can' }, { maxUpdates: 2 });
  const firstRun = (await c.describe()).runId;
  await act(c, outreachWorker, { type: 'consent.record', given: true });
  await act(c, outreachWorker, { type: 'note.add', text: 'fills the run' });
  while ((await c.describe()).runId === firstRun) await new Promise((r) => setTimeout(r, 100));
  const first = env.client.workflow.getHandle(c.workflowId, firstRun) as PathwayHandle;
  await save(first, 'pathway-continued');
}

/** A run that ends because its history is full, at the limits the workflow gives a run by default. */
async function recordLongRun() {
  const h = await startPathway(env, queue, { pathwayId: 'recorded-long-run' });
  const firstRun = (await h.describe()).runId;
  while ((await h.describe()).runId === firstRun) await actAcrossRunEnd(h, outreachWorker, { type: 'note.add', text: 'one of many' });
  await save(env.client.workflow.getHandle(h.workflowId, firstRun), 'pathway-long-run');
}

await worker.runUntil(async () => {
  if (groups.includes('pathway')) await recordPathways();
  if (groups.includes('runs')) await recordLongRun();
  if (groups.includes('facility')) await recordFacility({ env, queue, save });
});
await env.teardown();
