import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { pathwayWorkflowId } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import type { PathwayHandle } from '../support/client';
import { devCluster } from '../support/dev-cluster';
import { eventually } from '../support/eventually';
import { activityEvents, firstAttempt } from '../support/history';
import { owedNoContactNotices } from '../support/owed-notices';
import { smtpServer, teamDirectory, type Received } from '../support/smtp';
import { killAllWorkers, startWorkerProcess, workerOutputs, type WorkerProcess } from '../support/worker-process';

let cluster: Awaited<ReturnType<typeof devCluster>> | undefined;
let smtp: Awaited<ReturnType<typeof smtpServer>> | undefined;
/** Worker restarts under way, so none starts after the test has cleaned up. */
let restarts: Promise<void> = Promise.resolve();
const directory = teamDirectory();
afterEach(async () => {
  await restarts.catch(() => {});
  await killAllWorkers();
  await cluster?.close();
  await smtp?.close();
});
afterAll(() => rmSync(dirname(directory), { recursive: true, force: true }));

const FROM = 'care-pathways@localhost'; // the worker's default sender
const CRASHES = 2;
/** Pathways mailed once the crashes are over. */
const LATER = 4;
/** When a pathway's no-contact notice falls due after its start. */
const noticeAfter = { outreach: { noContactDays: 8 / 86_400 } };

describe('the worker killed just after the mail server accepted a notice', () => {
  it('still delivers every notice, with no more duplicates than crashes', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs()));
    cluster = await devCluster('kill-after-mail');
    const { address, client } = cluster;
    const taskQueue = 'kill-after-mail-test';
    let worker: WorkerProcess | undefined;
    const startWorker = () =>
      startWorkerProcess({ address, taskQueue, workflowBundlePath: inject('workflowBundlePath'), smtpUrl: smtp!.url, teamDirectoryPath: directory });

    // The first mails accepted each kill the worker that sent them before it hears the 250
    // (SIGKILL in the same tick as the reply), and a new worker is started in its place.
    const crashedOn: Received[] = [];
    smtp = await smtpServer({
      onAccepted: (mail) => {
        if (crashedOn.length >= CRASHES || !worker?.alive()) return;
        crashedOn.push(mail);
        const dying = worker;
        void dying.kill();
        restarts = restarts.then(async () => {
          await dying.exited;
          worker = await startWorker();
        });
      },
    });
    worker = await startWorker();

    const start = (name: string) =>
      client.workflow.start('pathwayWorkflow', {
        taskQueue,
        workflowId: pathwayWorkflowId(`mailkill-${name}`),
        args: [{ start: { pathwayId: `mailkill-${name}`, citizenRef: `ref-${name}`, team: 'outreach', by: outreachWorker, policy: noticeAfter } }],
      }) as Promise<PathwayHandle>;

    // One crash at a time: each pathway that crashes a worker is started on a fresh worker and is
    // the only one with a notice in flight, so each crash can double at most one e-mail.
    const handles: PathwayHandle[] = [];
    for (let crash = 1; crash <= CRASHES; crash++) {
      handles.push(await start(`crash-${crash}`));
      await eventually(() => expect(crashedOn).toHaveLength(crash), 60_000);
      await restarts; // its successor polls
    }
    // Then the rest, on a worker nobody kills.
    handles.push(...(await Promise.all(Array.from({ length: LATER }, (_, i) => start(`later-${i}`)))));

    // The notice each pathway owes, named as its e-mail will be: key from the passed deadline.
    const expected = await owedNoContactNotices(handles, FROM, 90_000);

    // Settled: every delivery ended as one completed activity, so nothing more will be sent. A
    // notice whose worker died is tried again after its one-minute start-to-close timeout.
    const attempts = await eventually(
      () =>
        Promise.all(
          expected.map(async ({ h }) => {
            const events = (await h.fetchHistory()).events ?? [];
            const { completed } = activityEvents(events, 'deliverNotice');
            expect(completed, h.workflowId).toHaveLength(1);
            return firstAttempt(events, 'deliverNotice');
          }),
        ),
      150_000,
    );
    await restarts;

    const ids = smtp.received.map((m) => m.messageId);
    const missing = expected.filter((n) => !ids.includes(n.messageId));
    const duplicates = ids.length - new Set(ids).size;
    console.log(
      `kill-after-mail: ${crashedOn.length} workers killed right after a 250, ${smtp.received.length} e-mails for ` +
        `${expected.length} notices (${duplicates} duplicates), delivery attempts ${JSON.stringify(attempts)}`,
    );
    expect(crashedOn.map((m) => m.messageId)).toEqual(expected.slice(0, CRASHES).map((n) => n.messageId));
    expect(missing.map((n) => n.key)).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(CRASHES);
    // Only the notices that crashed a worker may come twice, and they carry their own key.
    for (const n of expected) {
      const mails = smtp.received.filter((m) => m.messageId === n.messageId);
      expect(mails.map((m) => m.noticeKey), n.h.workflowId).toEqual(mails.map(() => n.key));
      if (!crashedOn.some((c) => c.messageId === n.messageId)) expect(mails, n.h.workflowId).toHaveLength(1);
    }
    expect(ids.every((id) => expected.some((n) => n.messageId === id))).toBe(true);
    await worker.stop();
  }, 240_000);
});
