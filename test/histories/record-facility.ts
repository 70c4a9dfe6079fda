/**
 * The facility part of `record.ts`: one facility workflow through grants, a capacity change,
 * an urgent request, a moved stay end, and the activation its patch guards; and a pathway
 * that refuses a grant it no longer wants.
 */
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { boardQuery, facilityWorkflowId, setCapacityUpdate, type FacilityBoard } from '../../workflows/facility-messages';
import type { facilityWorkflow } from '../../workflows/facility';
import { placeGrantedSignal, viewQuery } from '../../workflows/messages';
import { carePlaceLead, carer, housingOfficer } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { toWaiting } from '../support/journeys';
import { fileRecords, registerFacility } from '../support/records';
import { taskQueue, worker as createWorker } from '../support/temporal';

const { EventType } = proto.temporal.api.enums.v1;
const pause = () => new Promise((r) => setTimeout(r, 100));
const admin = { id: 'admin-1', role: 'admin' as const, teams: [] };

async function until<T>(read: () => Promise<T>, done: (t: T) => boolean, what = 'the recording to move on'): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const t = await read();
    if (done(t)) return t;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: last saw ${JSON.stringify(t)}`);
    await pause();
  }
}

/** Signals the facility received since its last completed workflow task. */
async function signalsWaiting(h: WorkflowHandle): Promise<string[]> {
  const events = (await h.fetchHistory()).events ?? [];
  const lastDone = events.map((e) => e.eventType).lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
  return events.slice(lastDone + 1).flatMap((e) => (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED ? [e.workflowExecutionSignaledEventAttributes!.signalName!] : []));
}

export async function recordFacility(o: { env: TestWorkflowEnvironment; queue: string; save: (h: WorkflowHandle, name: string) => Promise<void> }) {
  const { env, queue } = o;
  // The facility runs on a queue of its own, so its worker can be stopped while pathways go on.
  const facilityQueue = taskQueue();
  const facilityId = 'kildebo';
  // Requests go only to a facility the registry knows (activities/facilities.ts).
  await registerFacility(await fileRecords(), facilityId, 1);
  const facility = await env.client.workflow.start<typeof facilityWorkflow>('facilityWorkflow', {
    taskQueue: facilityQueue,
    workflowId: facilityWorkflowId(facilityId),
    args: [{ facilityId, capacity: 1 }],
  });
  const board = () => facility.query(boardQuery);
  const stage = (h: PathwayHandle) => h.query(viewQuery, carer).then((v) => v.stage);
  const [p1, p2, p3, p4] = await Promise.all(['rec-fac-1', 'rec-fac-2', 'rec-fac-3', 'rec-fac-4'].map((pathwayId) => startPathway(env, queue, { pathwayId })));
  for (const h of [p1!, p2!, p3!, p4!]) await toWaiting(h);

  const first = await createWorker(env, facilityQueue, { fromSources: true, noCache: true });
  await first.runUntil(async () => {
    await act(p1!, carer, { type: 'waitlist.join', facilityId });
    await until(() => stage(p1!), (s) => s === 'stay');
    await act(p2!, carer, { type: 'waitlist.join', facilityId });
    await act(p3!, carer, { type: 'waitlist.join', facilityId, priority: 'urgent' });
    await until(board, (b) => b.waitlist.length === 2);
    // A second place: the urgent request goes first.
    await facility.executeUpdate(setCapacityUpdate, { args: [{ capacity: 2, actor: admin }] });
    await until(() => stage(p3!), (s) => s === 'stay');
    // The first stay is extended: the board follows.
    const before = (await board()).occupants.find((x) => x.pathwayId === 'rec-fac-1')!.endsAt;
    await act(p1!, carer, { type: 'extension.request', days: 14, reason: 'flat ready later' });
    await act(p1!, carePlaceLead, { type: 'extension.approve', reason: 'agreed at the team meeting' });
    await until(board, (b: FacilityBoard) => b.occupants.find((x) => x.pathwayId === 'rec-fac-1')!.endsAt > before);
  });

  // With no facility worker, a release and the only waiting pathway's withdrawal arrive together:
  // the grant the release allows finds the waitlist empty when the loop looks again (the path
  // the patch `grant-rechecks-capacity` guards).
  await act(p1!, carer, { type: 'discharge.request' });
  await act(p1!, housingOfficer, { type: 'handoff.accept' });
  await act(p2!, carer, { type: 'pathway.close', reason: 'moved' });
  await until(() => signalsWaiting(facility), (s) => s.includes('releasePlace') && s.includes('cancelRequest'));

  const second = await createWorker(env, facilityQueue, { fromSources: true, noCache: true });
  await second.runUntil(async () => {
    await until(board, (b) => b.occupants.length === 1 && b.waitlist.length === 0);
    // A place is free: the next request is granted at once.
    await act(p4!, carer, { type: 'waitlist.join', facilityId });
    await until(() => stage(p4!), (s) => s === 'stay');
  });
  await o.save(facility, 'facility-grants');

  // A grant that reaches a pathway which no longer waits is refused and the place handed back.
  const refusing = await startPathway(env, queue, { pathwayId: 'rec-refused' });
  await refusing.signal(placeGrantedSignal, { facilityId });
  await until(
    async () => ((await refusing.fetchHistory()).events ?? []).filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED).length,
    (n) => n > 0,
  );
  await o.save(refusing, 'pathway-refused-grant');
}
