import { afterEach, describe, expect, inject, it } from 'vitest';
import { openRecords } from '../../records';
import { carer } from '../support/actors';
import { act } from '../support/client';
import { eventually } from '../support/eventually';
import { startPathways } from '../support/kill-under-load';
import { toWaiting } from '../support/journeys';
import { registerTestReferenceData } from '../support/records';
import { temporalCluster } from '../support/temporal-cluster';
import { killAllWorkers, startWorkerProcess, workerOutputs } from '../support/worker-process';
import { boardQuery, facilityWorkflowId } from '../../workflows/facility-messages';
import { viewQuery } from '../../workflows/messages';

let cluster: Awaited<ReturnType<typeof temporalCluster>> | undefined;
afterEach(async () => {
  await killAllWorkers();
  await cluster?.close();
});

const PATHWAYS = 12;
const CAPACITY = 2;

describe('on the cluster, three workers racing for a facility’s places', () => {
  it('never seat more citizens than it has places, and queue the rest in turn', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs(), cluster?.output().slice(-4000)));
    cluster = await temporalCluster();
    const c = cluster;
    const taskQueue = 'cluster-facility-race';
    // The registry the workers check place requests against, in their shared record store.
    const records = await openRecords({ databaseUrl: c.databaseUrl });
    await registerTestReferenceData(records, { capacity: CAPACITY });
    await records.close();
    const start = () => startWorkerProcess({ address: c.address, taskQueue, workflowBundlePath: inject('workflowBundlePath'), databaseUrl: c.databaseUrl });
    await Promise.all([start(), start(), start()]);

    const handles = await startPathways(c.client, taskQueue, PATHWAYS, 'race');
    await Promise.all(handles.map((h) => toWaiting(h)));
    // All ask for a place at once, so the three workers run the requests side by side.
    await Promise.all(handles.map((h) => act(h, carer, { type: 'waitlist.join', facilityId: 'skovvang' })));

    const stages = async () => Promise.all(handles.map(async (h) => (await h.query(viewQuery, carer)).stage));
    await eventually(async () => {
      const now = await stages();
      expect(now.filter((s) => s === 'stay')).toHaveLength(CAPACITY);
      expect(now.filter((s) => s === 'waiting')).toHaveLength(PATHWAYS - CAPACITY);
    }, 60_000);
    const board = await c.client.workflow.getHandle(facilityWorkflowId('skovvang')).query(boardQuery, Date.now());
    expect(board.occupants).toHaveLength(CAPACITY);
    expect(board.waitlist).toHaveLength(PATHWAYS - CAPACITY);
    // The ones seated are the ones the board seats; no pathway is in two places.
    const ids = handles.map((h) => h.workflowId.replace(/^pathway-/, ''));
    const inStay = (await stages()).flatMap((s, i) => (s === 'stay' ? [ids[i]] : []));
    expect(board.occupants.map((o) => o.pathwayId).sort()).toEqual(inStay.sort());
    expect(new Set([...board.occupants, ...board.waitlist].map((e) => e.pathwayId)).size).toBe(PATHWAYS);
  }, 600_000);
});
