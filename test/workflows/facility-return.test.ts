import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, type PathwayView } from '../../machines';
import { boardQuery, facilityWorkflowId } from '../../workflows/facility-messages';
import { viewQuery } from '../../workflows/messages';
import { carer, housingOfficer } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { toWaiting } from '../support/journeys';
import { taskQueue, timeSkipping, worker } from '../support/temporal';

let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
const queue = taskQueue();

beforeAll(async () => {
  env = await timeSkipping();
  w = await worker(env, queue, { facilityCapacity: 1 });
  running = w.run();
});

afterAll(async () => {
  w?.shutdown();
  await running;
  await env?.teardown();
});

const idOf = (h: PathwayHandle) => h.workflowId.replace(/^pathway-/, '');
const view = (h: PathwayHandle) => h.query(viewQuery, carer);
const inStage = (h: PathwayHandle, stage: PathwayView['stage']) => eventually(async () => expect((await view(h)).stage).toBe(stage));

async function waitingFor(facilityId: string) {
  const h = await startPathway(env, queue);
  await toWaiting(h);
  await act(h, carer, { type: 'waitlist.join', facilityId });
  return h;
}

describe('a place after a hospital stay, at a facility with one place', () => {
  it('shows the paused stay’s end moving, and gives a citizen whose place went after the hold the next place before a later request', async () => {
    const house = 'return-house';
    // As the API reads it: as of the reader's clock.
    const board = async () => env.client.workflow.getHandle(facilityWorkflowId(house)).query(boardQuery, await env.currentTimeMs());
    const a = await waitingFor(house);
    await inStage(a, 'stay');
    const before = await view(a);
    if (before.stage !== 'stay') throw new Error('unreachable');
    const b = await waitingFor(house);

    // In hospital for five days: the board moves the stay's end on by the time there.
    await act(a, carer, { type: 'hospital.admit' });
    await env.sleep(5 * DAY);
    await eventually(async () => {
      const now = await board();
      const occupant = now.occupants[0]!;
      expect(occupant.paused).toBeDefined();
      expect(occupant.endsAt - before.stay.endsAt).toBe(now.asOf - occupant.paused!.since);
      expect(now.asOf - occupant.paused!.since).toBeGreaterThanOrEqual(5 * DAY);
      expect(now.waitlist.map((x) => [x.pathwayId, x.projectedAt])).toEqual([[idOf(b), Math.max(occupant.endsAt, occupant.paused!.holdUntil)]]);
    });

    // The hold runs out: the place goes to the next in line.
    await env.sleep(10 * DAY);
    await inStage(a, 'waiting');
    await inStage(b, 'stay');

    // A normal request comes in; then the first citizen, out of hospital, asks again.
    const c = await waitingFor(house);
    await eventually(async () => expect((await board()).waitlist.map((x) => x.pathwayId)).toEqual([idOf(c)]));
    await act(a, carer, { type: 'waitlist.join', facilityId: house });
    await eventually(async () =>
      expect((await board()).waitlist.map((x) => [x.pathwayId, x.priority])).toEqual([
        [idOf(a), 'returning'],
        [idOf(c), 'normal'],
      ]),
    );

    // The place frees: it goes to the returning citizen.
    await act(b, carer, { type: 'discharge.request' });
    await act(b, housingOfficer, { type: 'handoff.accept' });
    await inStage(a, 'stay');
    expect((await view(c)).stage).toBe('waiting');
    expect((await board()).occupants.map((o) => o.pathwayId)).toEqual([idOf(a)]);
  });
});
