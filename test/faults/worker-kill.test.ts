import { openedDetails } from '../support/keys';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openRecords, pageAuditEntries } from '../../records';
import { transitionsUnderKill, expectEachOnce, startPathways } from '../support/kill-under-load';
import { outreachWorker } from '../support/actors';
import { act } from '../support/client';
import { devCluster } from '../support/dev-cluster';
import { eventually } from '../support/eventually';
import { killAllWorkers, startWorkerProcess, workerOutputs, type WorkerProcess } from '../support/worker-process';

let cluster: Awaited<ReturnType<typeof devCluster>> | undefined;
// Also when the test fails: no worker process or dev server outlives it.
afterEach(async () => {
  await killAllWorkers();
  await cluster?.close();
});

const PATHWAYS = 200;
/** Acknowledgements to wait for before the kill: enough to be sure the worker is mid-stream. */
const KILL_AFTER_ACKS = 5;

describe('the worker killed with SIGKILL during 200 transitions in flight', () => {
  it('loses no acknowledged transition, applies none twice, and every pathway moves on', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs()));
    cluster = await devCluster('worker-kill');
    const { address, client, connection } = cluster;
    const taskQueue = 'worker-kill-test';
    // Every worker of the test writes the same record store, one at a time (PGlite admits one process).
    const dataDir = mkdtempSync(join(tmpdir(), 'worker-kill-records-'));
    const startWorker = () => startWorkerProcess({ address, taskQueue, workflowBundlePath: inject('workflowBundlePath'), dataDir });
    let worker: WorkerProcess = await startWorker();

    const handles = await startPathways(client, taskQueue, PATHWAYS, 'kill');
    // The fifth answer kills the worker; a new one starts after it.
    const run = await transitionsUnderKill({
      connection,
      handles,
      killAfter: KILL_AFTER_ACKS,
      kill: () => worker.kill(), // SIGKILL goes out synchronously, before any other answer is seen
      afterKill: async () => void (worker = await startWorker()),
    });
    const writtenBeforeKill = await expectEachOnce(handles, run);
    console.log(
      `worker-kill: ${KILL_AFTER_ACKS} of ${PATHWAYS} transitions acknowledged and ${writtenBeforeKill} written to history before the SIGKILL, ` +
        `${run.retries} client retries with the same request id, errors seen: ${JSON.stringify(run.errors)}; ` +
        `kill ${run.timings.toKill} ms after firing, new worker polling ${run.timings.toResume} ms later, all answered ${run.timings.toAllAnswered} ms after that`,
    );
    // The kill came mid-stream: some transitions were not yet in any history when the worker died.
    expect(writtenBeforeKill).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(writtenBeforeKill).toBeLessThan(PATHWAYS);
    const { textOf } = run;

    // No pathway is stuck: each takes one more transition on the new worker.
    const after = await Promise.all(
      handles.map((h) => act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' }, { version: 2 })),
    );
    expect(after.map((v) => v.version)).toEqual(handles.map(() => 3));
    for (const h of handles) expect((await h.describe()).status.name, h.workflowId).toBe('RUNNING');
    // The audit entries reach the record store: wait until no pathway has a write in flight, then stop the worker.
    await eventually(async () => {
      const pending = await Promise.all(handles.map(async (h) => (await h.describe()).raw.pendingActivities?.length ?? 0));
      expect(pending.reduce((a, b) => a + b, 0)).toBe(0);
    }, 60_000);
    await worker.stop();

    // In the store, after the last worker stopped: every entry of every pathway once, the killed transition's too.
    // The worker keeps its store in DATA_DIR/records (records/settings.ts).
    const records = await openRecords({ dataDir: join(dataDir, 'records') });
    try {
      const stored = await Promise.all(handles.map(async (_, i) => openedDetails(await pageAuditEntries(records.db, `kill-${i}`, { limit: 100 }))));
      const storedMissing = stored.filter((t, i) => !t.some((e) => e.type === 'note.add' && e.details?.text === textOf(i))).length;
      const storedDoubled = stored.filter((t, i) => t.filter((e) => e.type === 'note.add' && e.details?.text === textOf(i)).length > 1).length;
      console.log(`worker-kill: record store holds ${stored.reduce((a, t) => a + t.length, 0)} audit entries for ${PATHWAYS} pathways`);
      expect({ storedMissing, storedDoubled }).toEqual({ storedMissing: 0, storedDoubled: 0 });
      for (const [i, t] of stored.entries()) expect(t.map((e) => [e.seq, e.type]), `kill-${i}`).toEqual([[1, 'pathway.start'], [2, 'note.add'], [3, 'contact.log']]);
    } finally {
      await records.close();
    }
  }, 240_000);
});
