import { afterEach, describe, expect, inject, it } from 'vitest';
import { workerDataConverter } from '../../codec/data-converter';
import { promote, replayGate } from '../../worker/replay-gate';
import { outreachWorker } from '../support/actors';
import { act, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { testKeyring } from '../support/keys';
import { startPathways } from '../support/kill-under-load';
import { temporalCluster } from '../support/temporal-cluster';
import { killAllWorkers, startWorkerProcess, workerOutputs } from '../support/worker-process';

let cluster: Awaited<ReturnType<typeof temporalCluster>> | undefined;
afterEach(async () => {
  await killAllWorkers();
  await cluster?.close();
});

const PATHWAYS = 20;
const deploymentName = 'care-pathways';
const buildOf = async (h: PathwayHandle) => (await h.describe()).raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId;

describe('on the cluster, a rolling upgrade', () => {
  it('moves running pathways from two v1 workers to two v2 workers beside them, after the replay gate, losing none', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs(), cluster?.output().slice(-4000)));
    cluster = await temporalCluster();
    const c = cluster;
    const taskQueue = 'cluster-versioning';
    const start = (buildId: string) =>
      startWorkerProcess({ address: c.address, taskQueue, workflowBundlePath: inject('workflowBundlePath'), databaseUrl: c.databaseUrl, deployment: { name: deploymentName, buildId } });
    const identity = 'cluster-versioning-test';
    const v1 = await Promise.all([start('v1'), start('v1')]);
    await eventually(() => promote(c.client, { namespace: 'default', deploymentName, buildId: 'v1', identity }), 30_000);

    const handles = await startPathways(c.client, taskQueue, PATHWAYS, 'versioned');
    for (const h of handles) await act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' });
    expect(new Set(await Promise.all(handles.map(buildOf)))).toEqual(new Set(['v1']));

    await Promise.all([start('v2'), start('v2')]);
    const gate = await replayGate(c.client, { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: workerDataConverter(testKeyring) });
    expect(gate).toEqual({ replayed: PATHWAYS, failed: [] });
    await eventually(() => promote(c.client, { namespace: 'default', deploymentName, buildId: 'v2', identity }), 30_000);
    await Promise.all(v1.map((w) => w.stop()));

    // Every pathway takes its next action on v2, exactly once.
    for (const h of handles) expect((await act(h, outreachWorker, { type: 'note.add', text: 'after the upgrade' })).version).toBe(3);
    expect(new Set(await Promise.all(handles.map(buildOf)))).toEqual(new Set(['v2']));
  }, 600_000);
});
