import { afterEach, describe, expect, inject, it } from 'vitest';
import { outreachWorker } from '../support/actors';
import { act } from '../support/client';
import { expectEachOnce, startPathways, transitionsUnderKill } from '../support/kill-under-load';
import { temporalCluster } from '../support/temporal-cluster';
import { killAllWorkers, startWorkerProcess, workerOutputs } from '../support/worker-process';

let cluster: Awaited<ReturnType<typeof temporalCluster>> | undefined;
afterEach(async () => {
  await killAllWorkers();
  await cluster?.close();
});

const PATHWAYS = 150;

describe('on the cluster (Temporal server on PostgreSQL), one of three workers killed under load', () => {
  it('loses no transition and applies none twice; the other two carry on alone', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs(), cluster?.output().slice(-4000)));
    cluster = await temporalCluster();
    const { address, client, connection, databaseUrl } = cluster;
    const taskQueue = 'cluster-worker-kill';
    const start = () => startWorkerProcess({ address, taskQueue, workflowBundlePath: inject('workflowBundlePath'), databaseUrl });
    const workers = [await start(), await start(), await start()];

    const handles = await startPathways(client, taskQueue, PATHWAYS, 'cluster-kill');
    const run = await transitionsUnderKill({ connection, handles, killAfter: 10, kill: () => workers[0]!.kill() });
    const writtenBeforeKill = await expectEachOnce(handles, run);
    console.log(
      `cluster worker-kill: ${writtenBeforeKill} of ${PATHWAYS} transitions in history before the SIGKILL of worker 1 of 3, ${run.retries} client retries, ` +
        `errors seen: ${JSON.stringify(run.errors)}; all answered ${run.timings.toAllAnswered} ms after the kill, with no worker restarted`,
    );
    expect(writtenBeforeKill).toBeLessThan(PATHWAYS);
    // Every pathway takes its next action on the two that are left.
    const after = await Promise.all(handles.map((h) => act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' }, { version: 2 })));
    expect(after.map((v) => v.version)).toEqual(handles.map(() => 3));
    expect(workers.slice(1).every((w) => w.alive())).toBe(true);
  }, 600_000);
});
