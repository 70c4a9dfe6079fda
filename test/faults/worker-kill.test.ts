import { openedDetails } from '../support/keys';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openRecords, pageAuditEntries } from '../../records';
import { auditQuery, pathwayWorkflowId, viewQuery, type PathwayWorkflowView } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import { act, type PathwayHandle } from '../support/client';
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
/** How long a client waits for one answer before it sends the same request again. */
const ATTEMPT_MS = 8_000;

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

    const handles = await Promise.all(
      Array.from({ length: PATHWAYS }, async (_, i) => {
        const pathwayId = `kill-${i}`;
        return (await client.workflow.start('pathwayWorkflow', {
          taskQueue,
          workflowId: pathwayWorkflowId(pathwayId),
          args: [{ start: { pathwayId, citizenRef: `ref-${i}`, team: 'outreach', by: outreachWorker } }],
        })) as PathwayHandle;
      }),
    );
    // Every pathway has run its first task: all stand at version 1.
    await eventually(async () => {
      const versions = await Promise.all(handles.map(async (h) => (await h.query(viewQuery, outreachWorker)).version));
      expect(versions).toEqual(handles.map(() => 1));
    }, 60_000);

    // One transition per pathway, all at once, each with its own request id; the fifth answer kills
    // the worker. A client that hears nothing for a while sends the same request again, as the UI does.
    const requestIds = handles.map((_, i) => `kill-${i}-${randomUUID()}`);
    const textOf = (i: number) => `transition ${requestIds[i]}`;
    const answers = new Map<number, PathwayWorkflowView>();
    const attempts = handles.map(() => 0);
    const errors = new Map<string, number>();
    let killedAt = 0;
    let killed: Promise<void> | undefined;
    let onKill!: () => void;
    const killSent = new Promise<void>((resolve) => (onKill = resolve));
    const transition = async (i: number) => {
      for (;;) {
        attempts[i]! += 1;
        try {
          const view = await connection.withDeadline(Date.now() + ATTEMPT_MS, () =>
            act(handles[i]!, outreachWorker, { type: 'note.add', text: textOf(i) }, { version: 1, requestId: requestIds[i] }),
          );
          answers.set(i, view);
          if (answers.size === KILL_AFTER_ACKS) {
            killedAt = Date.now();
            killed = worker.kill(); // SIGKILL goes out synchronously, before any other answer is seen
            onKill();
          }
          return;
        } catch (err) {
          // A rejection is an answer, and none is expected: not even a retry may look stale.
          if (err instanceof WorkflowUpdateFailedError) throw err;
          const kind = (err as Error).constructor.name;
          errors.set(kind, (errors.get(kind) ?? 0) + 1);
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    const fired = Date.now();
    const running = Promise.all(handles.map((_, i) => transition(i)));
    await Promise.race([killSent, running]);
    await killed;
    worker = await startWorker();
    const restartedAt = Date.now();
    await running;
    const allAnsweredAt = Date.now();

    // What the histories say: each request accepted once; how many were written before the kill.
    const histories = await Promise.all(handles.map(async (h) => (await h.fetchHistory()).events ?? []));
    const acceptances = histories.map((events, i) =>
      events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === requestIds[i]),
    );
    const msOf = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(String(t?.seconds ?? 0)) * 1000 + (t?.nanos ?? 0) / 1e6;
    const writtenBeforeKill = acceptances.filter((a) => a.some((e) => msOf(e.eventTime) < killedAt)).length;

    const retries = attempts.reduce((a, b) => a + b, 0) - PATHWAYS;
    console.log(
      `worker-kill: ${KILL_AFTER_ACKS} of ${PATHWAYS} transitions acknowledged and ${writtenBeforeKill} written to history before the SIGKILL, ` +
        `${retries} client retries with the same request id, errors seen: ${JSON.stringify(Object.fromEntries(errors))}; ` +
        `kill ${killedAt - fired} ms after firing, new worker polling ${restartedAt - killedAt} ms later, all answered ${allAnsweredAt - restartedAt} ms after that`,
    );
    // The kill came mid-stream: some transitions were not yet in any history when the worker died.
    expect(writtenBeforeKill).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(writtenBeforeKill).toBeLessThan(PATHWAYS);
    expect(answers.size).toBe(PATHWAYS);
    expect(acceptances.map((a) => a.length)).toEqual(handles.map(() => 1));
    for (const [i, view] of answers) expect(view.version, handles[i]!.workflowId).toBe(2);

    // Each transition is in its pathway exactly once: one version step, one audit entry.
    const audits = await Promise.all(handles.map((h) => h.query(auditQuery)));
    const missing = audits.filter((a, i) => !a.some((e) => e.type === 'note.add' && e.details?.text === textOf(i))).length;
    const doubled = audits.filter((a, i) => a.filter((e) => e.type === 'note.add' && e.details?.text === textOf(i)).length > 1).length;
    expect({ missing, doubled }).toEqual({ missing: 0, doubled: 0 });
    for (const [i, audit] of audits.entries()) {
      expect(audit.filter((e) => e.type === 'note.add'), handles[i]!.workflowId).toHaveLength(1);
      expect(audit.map((e) => e.version).filter((v) => v !== undefined)).toEqual([1, 2]);
    }
    const versions = await Promise.all(handles.map(async (h) => (await h.query(viewQuery, outreachWorker)).version));
    expect(versions).toEqual(handles.map(() => 2));
    // A late duplicate of any of them is answered, not applied.
    const again = await Promise.all(
      handles.map((h, i) => act(h, outreachWorker, { type: 'note.add', text: textOf(i) }, { version: 1, requestId: requestIds[i] })),
    );
    expect(again.map((v) => v.version)).toEqual(handles.map(() => 2));

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
