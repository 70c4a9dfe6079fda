import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { DAY } from '../../machines';
import { boardQuery, facilityWorkflowId, type FacilityBoard } from '../../workflows/facility-messages';
import { viewQuery } from '../../workflows/messages';
import { carer, housingOfficer } from '../support/actors';
import { act, startPathway } from '../support/client';
import { toWaiting } from '../support/journeys';
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

describe('a care facility with two places', () => {
  it('never holds more than two, grants in waitlist order, and every release grants the next', async () => {
    const pathways = await Promise.all(Array.from({ length: 20 }, () => startPathway(env, queue)));
    await Promise.all(pathways.map((h) => toWaiting(h)));
    // All twenty ask at once.
    await Promise.all(pathways.map((h) => act(h, carer, { type: 'waitlist.join', facilityId: 'skovvang' })));

    const facility = env.client.workflow.getHandle(facilityWorkflowId('skovvang'));
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
    const board = await env.client.workflow.getHandle(facilityWorkflowId('skovvang')).query(boardQuery);
    const ends = board.occupants.map((o) => o.endsAt).sort((a, b) => a - b);
    const [w1, w2, w3, w4] = board.waitlist;
    expect(w1!.projectedAt).toBe(Math.max(board.asOf, ends[0]!));
    expect(w2!.projectedAt).toBe(Math.max(board.asOf, ends[1]!));
    expect(w3!.projectedAt).toBe(w1!.projectedAt + 56 * DAY);
    expect(w4!.projectedAt).toBe(w2!.projectedAt + 56 * DAY);
    for (let i = 1; i < board.waitlist.length; i++) expect(board.waitlist[i]!.projectedAt).toBeGreaterThanOrEqual(board.waitlist[i - 1]!.projectedAt);
  });

  it('moves an occupant’s end on the board when the stay is extended', async () => {
    const facility = env.client.workflow.getHandle(facilityWorkflowId('skovvang'));
    const board = await facility.query(boardQuery);
    const h = env.client.workflow.getHandle(`pathway-${board.occupants[0]!.pathwayId}`);
    const view = await h.query(viewQuery, carer);
    if (view.stage !== 'stay') throw new Error('expected a stay');
    await act(h as never, carer, { type: 'extension.request', days: 14, reason: 'flat ready later' });
    await act(h as never, { id: 'care-place-lead', role: 'supervisor', teams: ['care-place'] }, { type: 'extension.approve', reason: 'agreed' });
    await eventually(async () => {
      const after = await facility.query(boardQuery);
      expect(after.occupants.find((o) => o.pathwayId === board.occupants[0]!.pathwayId)?.endsAt).toBe(view.stay.endsAt + 14 * DAY);
    });
  });
});
