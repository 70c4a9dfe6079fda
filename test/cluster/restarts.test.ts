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

const PATHWAYS = 100;

describe('on the cluster, under load', () => {
  it('loses nothing and applies nothing twice when the server process is killed and PostgreSQL restarts', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs(), cluster?.output().slice(-4000)));
    cluster = await temporalCluster();
    const c = cluster;
    const taskQueue = 'cluster-restarts';
    const start = () => startWorkerProcess({ address: c.address, taskQueue, workflowBundlePath: inject('workflowBundlePath'), databaseUrl: c.databaseUrl });
    await Promise.all([start(), start()]);
    const handles = await startPathways(c.client, taskQueue, PATHWAYS, 'restart');

    // The server process killed outright in the middle of a burst, then started again.
    const serverRun = await transitionsUnderKill({ connection: c.connection, handles, killAfter: 10, kill: () => c.restartServer(true) });
    const beforeServerKill = await expectEachOnce(handles, serverRun);
    console.log(
      `cluster restarts: server SIGKILLed with ${beforeServerKill} of ${PATHWAYS} transitions in history, all answered ${serverRun.timings.toAllAnswered} ms later, ` +
        `${serverRun.retries} client retries (${JSON.stringify(serverRun.errors)})`,
    );
    expect(beforeServerKill).toBeLessThan(PATHWAYS);

    // PostgreSQL stopped and started again in the middle of a burst on other pathways.
    const others = await startPathways(c.client, taskQueue, PATHWAYS, 'pg-restart');
    const dbRun = await transitionsUnderKill({ connection: c.connection, handles: others, killAfter: 10, kill: () => c.restartPostgres() });
    const beforeDbRestart = await expectEachOnce(others, dbRun);
    console.log(
      `cluster restarts: PostgreSQL restarted with ${beforeDbRestart} of ${PATHWAYS} transitions in history, all answered ${dbRun.timings.toAllAnswered} ms later, ` +
        `${dbRun.retries} client retries (${JSON.stringify(dbRun.errors)})`,
    );
    // Every pathway of both bursts takes its next action.
    const after = await Promise.all([...handles, ...others].map((h) => act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' }, { version: 2 })));
    expect(after.map((v) => v.version)).toEqual([...handles, ...others].map(() => 3));
  }, 600_000);
});
