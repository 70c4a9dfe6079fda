import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { DAY } from '../../machines';
import { boardQuery, facilityWorkflowId, type FacilityBoard } from '../../workflows/facility-messages';
import { viewQuery } from '../../workflows/messages';
import { carePlaceLead, carer, housingOfficer } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { toWaiting } from '../support/journeys';
import { fileRecords, registerFacility } from '../support/records';
import { taskQueue, timeSkipping, worker } from '../support/temporal';

let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
const queue = taskQueue();

beforeAll(async () => {
  env = await timeSkipping();
  w = await worker(env, queue, { facilityCapacity: 2 });
  running = w.run();
});

afterAll(async () => {
  w?.shutdown();
  await running;
  await env?.teardown();
});

/** A facility of its own for each case (created by its first request, with two places). */
/** A facility of its own for one case, registered as an admin would (2 places). */
const newFacilityId = async () => {
  const id = `test-${randomUUID().slice(0, 8)}`;
  await registerFacility(await fileRecords(), id, 2);
  return id;
};

/** `n` pathways waiting for a place at `facilityId`, having asked one after another. */
async function waitingFor(facilityId: string, n: number): Promise<PathwayHandle[]> {
  const pathways = await Promise.all(Array.from({ length: n }, () => startPathway(env, queue)));
  await Promise.all(pathways.map((h) => toWaiting(h)));
  for (const h of pathways) await act(h, carer, { type: 'waitlist.join', facilityId });
  return pathways;
}

/** The board once `occupants` hold places and `waiting` wait. */
async function boardOf(facilityId: string, occupants: number, waiting: number): Promise<FacilityBoard> {
  return eventually(async () => {
    const board = await env.client.workflow.getHandle(facilityWorkflowId(facilityId)).query(boardQuery);
    expect([board.occupants.length, board.waitlist.length]).toEqual([occupants, waiting]);
    return board;
  });
}

describe('a care facility with two places', () => {
  it('never holds more than two, grants in waitlist order, and every release grants the next', async () => {
    const facilityId = await newFacilityId();
    const pathways = await Promise.all(Array.from({ length: 20 }, () => startPathway(env, queue)));
    await Promise.all(pathways.map((h) => toWaiting(h)));
    // All twenty ask at once.
    await Promise.all(pathways.map((h) => act(h, carer, { type: 'waitlist.join', facilityId })));

    const facility = env.client.workflow.getHandle(facilityWorkflowId(facilityId));
    let board!: FacilityBoard;
    await eventually(async () => {
      board = await facility.query(boardQuery);
      expect(board.occupants.length + board.waitlist.length).toBe(20);
      expect(board.occupants).toHaveLength(2);
    });
    const ids = (xs: { pathwayId: string }[]) => xs.map((x) => x.pathwayId);
    const idOf = (h: (typeof pathways)[number]) => h.workflowId.replace(/^pathway-/, '');
    const stages = async () => Promise.all(pathways.map(async (h) => [idOf(h), (await h.query(viewQuery, carer)).stage] as const));
    expect((await stages()).filter(([, s]) => s === 'stay').map(([id]) => id).sort()).toEqual(ids(board.occupants).sort());

    // Releases, one at a time: each hands the place to the head of the waitlist.
    for (let round = 0; round < 4; round++) {
      const before = await facility.query(boardQuery);
      const leaving = pathways.find((h) => idOf(h) === before.occupants[0]!.pathwayId)!;
      const next = before.waitlist[0]!.pathwayId;
      if (round % 2 === 0) {
        await act(leaving, carer, { type: 'discharge.request' });
        await act(leaving, housingOfficer, { type: 'handoff.accept' });
      } else {
        await act(leaving, carer, { type: 'pathway.close', reason: 'moved' });
      }
      await eventually(async () => {
        const after = await facility.query(boardQuery);
        expect(after.occupants).toHaveLength(2);
        expect(ids(after.occupants)).toContain(next);
        expect(ids(after.waitlist)).toEqual(ids(before.waitlist).slice(1));
      });
      const nextView = await pathways.find((h) => idOf(h) === next)!.query(viewQuery, carer);
      expect(nextView.stage).toBe('stay');
    }
    const inStay = (await stages()).filter(([, s]) => s === 'stay');
    expect(inStay).toHaveLength(2);
  });

  it('projects each waiting pathway onto the place that frees first', async () => {
    const facilityId = await newFacilityId();
    await waitingFor(facilityId, 6);
    const board = await boardOf(facilityId, 2, 4);
    const ends = board.occupants.map((o) => o.endsAt).sort((a, b) => a - b);
    const [w1, w2, w3, w4] = board.waitlist;
    expect(w1!.projectedAt).toBe(Math.max(board.asOf, ends[0]!));
    expect(w2!.projectedAt).toBe(Math.max(board.asOf, ends[1]!));
    expect(w3!.projectedAt).toBe(w1!.projectedAt + 56 * DAY);
    expect(w4!.projectedAt).toBe(w2!.projectedAt + 56 * DAY);
    for (let i = 1; i < board.waitlist.length; i++) expect(board.waitlist[i]!.projectedAt).toBeGreaterThanOrEqual(board.waitlist[i - 1]!.projectedAt);
  });

  it('moves an occupant’s end on the board when the stay is extended', async () => {
    const facilityId = await newFacilityId();
    const [h] = await waitingFor(facilityId, 1);
    const facility = env.client.workflow.getHandle(facilityWorkflowId(facilityId));
    const board = await boardOf(facilityId, 1, 0);
    const view = await eventually(async () => {
      const v = await h!.query(viewQuery, carer);
      if (v.stage !== 'stay') throw new Error(`expected a stay, not ${v.stage}`);
      return v;
    });
    await act(h!, carer, { type: 'extension.request', days: 14, reason: 'flat ready later' });
    await act(h!, carePlaceLead, { type: 'extension.approve', reason: 'agreed' });
    await eventually(async () => {
      const after = await facility.query(boardQuery);
      expect(after.occupants.find((o) => o.pathwayId === board.occupants[0]!.pathwayId)?.endsAt).toBe(view.stay.endsAt + 14 * DAY);
    });
  });
});
