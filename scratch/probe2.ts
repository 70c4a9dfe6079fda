import proto from '@temporalio/proto';
import { DAY } from '../machines';
import { viewQuery } from '../workflows/messages';
import { carePlaceLead, carer, housingOfficer, liaison, outreachWorker } from '../test/support/actors';
import { act, startPathway } from '../test/support/client';
import { taskQueue, timeSkipping, worker as createWorker } from '../test/support/temporal';
const EventType = proto.temporal.api.enums.v1.EventType;
const env = await timeSkipping();
const queue = taskQueue();
const worker = await createWorker(env, queue, { fromSources: true });
const step = (s: string) => console.log('STEP', s);
await worker.runUntil(async () => {
  const h = await startPathway(env, queue, { pathwayId: 'recorded-full' });
  const print = async () => console.log((await h.fetchHistory()).events!.slice(-25).map((e) => `${e.eventId} ${EventType[e.eventType!]}`).join('\n'));
  try {
  await act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' }); step('contact');
  await env.sleep(15 * DAY); step('slept15');
  await act(h, outreachWorker, { type: 'consent.record', given: true }); step('consent');
  await act(h, outreachWorker, { type: 'referral.request' }); step('referral');
  await env.sleep(2 * DAY); step('slept2');
  await act(h, liaison, { type: 'handoff.accept' }); step('accept');
  await act(h, liaison, { type: 'assessment.outcome', outcome: 'care-place' });
  await act(h, carer, { type: 'handoff.accept' });
  await act(h, carer, { type: 'waitlist.join', facilityId: 'skovvang' }); step('join');
  for (let i = 0; i < 100 && (await h.query(viewQuery, carer)).stage !== 'stay'; i++) await new Promise((r) => setTimeout(r, 100));
  step('stay');
  await Promise.race([env.sleep(30 * DAY), new Promise((r) => setTimeout(r, 20000))]); step('slept30');
  } finally { await print();
    const d = await h.describe(); console.log('pending', JSON.stringify(d.raw.pendingActivities), d.status.name);
    const f = env.client.workflow.getHandle('facility-skovvang'); const fd = await f.describe(); console.log('facility', fd.status.name, JSON.stringify(fd.raw.pendingActivities));
    console.log((await f.fetchHistory()).events!.slice(-8).map((e) => `${e.eventId} ${EventType[e.eventType!]}`).join('\n'));
  }
});
await env.teardown();
