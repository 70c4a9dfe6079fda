/**
 * Records the histories the replay test replays: `npx tsx test/histories/record.ts <tag>`.
 * Run it only when a workflow change is meant to be incompatible (and versioned); the old
 * files must keep replaying against the new code, so add files rather than overwrite them.
 * Payloads are encrypted as in production, under the fixed test key (test-keyring.json), and
 * the files say so in their name (`-encrypted`); the replay test decodes them with that key.
 * `--plain` records without the codec, as histories from before encryption were.
 */
import { writeFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { DAY } from '../../machines';
import { viewQuery } from '../../workflows/messages';
import { carePlaceLead, carer, housingOfficer, liaison, outreachWorker } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { testKeyring } from '../support/keys';
import { taskQueue, timeSkipping, worker as createWorker } from '../support/temporal';

const plain = process.argv.includes('--plain');
const env = await timeSkipping(plain ? null : testKeyring);
const queue = taskQueue();
const worker = await createWorker(env, queue, { fromSources: true, keyring: plain ? null : testKeyring });
const tag = `${process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'v1'}${plain ? '' : '-encrypted'}`;

async function save(h: PathwayHandle, name: string) {
  const history = await h.fetchHistory();
  // Binary protobuf: the SDK's JSON converter trips over duplicate protobufjs copies.
  writeFileSync(new URL(`./${name}-${tag}.history.bin`, import.meta.url), proto.temporal.api.history.v1.History.encode(history).finish());
}

await worker.runUntil(async () => {
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
});
await env.teardown();
