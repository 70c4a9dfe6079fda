import { describe, expect, inject, it } from 'vitest';
import { pathwayWorkflowId } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import type { PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { activityEvents, firstAttempt } from '../support/history';
import { owedNoContactNotices } from '../support/owed-notices';
import { mailTestTeardown } from '../support/mail-teardown';
import { smtpServer } from '../support/smtp';
import { temporalCluster } from '../support/temporal-cluster';
import { startWorkerProcess, workerOutputs, type WorkerProcess } from '../support/worker-process';

let cluster: Awaited<ReturnType<typeof temporalCluster>> | undefined;
let smtp: Awaited<ReturnType<typeof smtpServer>> | undefined;
const directory = mailTestTeardown(() => [cluster, smtp]);

const PATHWAYS = 30;
const FROM = 'care-pathways@localhost';

describe('on the cluster, one of three workers killed as the notices go out', () => {
  it('delivers every notice; only a delivery the kill cut short may come twice, under its own key', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs(), cluster?.output().slice(-4000)));
    cluster = await temporalCluster();
    const c = cluster;
    const taskQueue = 'cluster-notices';
    const workers: WorkerProcess[] = [];
    // The first e-mail the mail server accepts kills the first worker, whichever sent it.
    let killedAt = 0;
    smtp = await smtpServer({
      onAccepted: () => {
        if (killedAt || !workers[0]?.alive()) return;
        killedAt = Date.now();
        void workers[0].kill();
      },
    });
    const start = () =>
      startWorkerProcess({ address: c.address, taskQueue, workflowBundlePath: inject('workflowBundlePath'), databaseUrl: c.databaseUrl, smtpUrl: smtp!.url, teamDirectoryPath: directory });
    workers.push(await start(), await start(), await start());

    // Pathways nobody contacts: each owes the outreach team a no-contact notice 8 s after its start.
    const handles = await Promise.all(
      Array.from({ length: PATHWAYS }, async (_, i) => {
        const pathwayId = `notice-${i}`;
        return (await c.client.workflow.start('pathwayWorkflow', {
          taskQueue,
          workflowId: pathwayWorkflowId(pathwayId),
          args: [{ start: { pathwayId, citizenRef: `ref-${i}`, team: 'outreach', by: outreachWorker, policy: { outreach: { noContactDays: 8 / 86_400 } } } }],
        })) as PathwayHandle;
      }),
    );
    const expected = await owedNoContactNotices(handles, FROM, 90_000);
    // Settled: each delivery ended as one completed activity; one cut short is tried again after its one-minute timeout.
    const attempts = await eventually(
      () =>
        Promise.all(
          expected.map(async ({ h }) => {
            const events = (await h.fetchHistory()).events ?? [];
            expect(activityEvents(events, 'deliverNotice').completed, h.workflowId).toHaveLength(1);
            return firstAttempt(events, 'deliverNotice');
          }),
        ),
      180_000,
    );
    const ids = smtp.received.map((m) => m.messageId);
    const duplicates = ids.length - new Set(ids).size;
    const retried = attempts.filter((a) => a > 1).length;
    console.log(
      `cluster notices: worker 1 of 3 killed at the first accepted e-mail; ${smtp.received.length} e-mails for ${expected.length} notices, ` +
        `${duplicates} duplicates, ${retried} deliveries tried again`,
    );
    expect(killedAt).toBeGreaterThan(0);
    expect(expected.filter((n) => !ids.includes(n.messageId)).map((n) => n.key)).toEqual([]);
    expect(duplicates).toBeLessThanOrEqual(retried);
    for (const n of expected) {
      const mails = smtp.received.filter((m) => m.messageId === n.messageId);
      expect(mails.map((m) => m.noticeKey), n.h.workflowId).toEqual(mails.map(() => n.key));
    }
    expect(ids.every((id) => expected.some((n) => n.messageId === id))).toBe(true);
  }, 600_000);
});
