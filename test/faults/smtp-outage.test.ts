import { describe, expect, inject, it } from 'vitest';
import { pathwayWorkflowId } from '../../workflows/messages';
import { PathwayFlags } from '../../workflows/search-attributes';
import { outreachWorker } from '../support/actors';
import type { PathwayHandle } from '../support/client';
import { devCluster } from '../support/dev-cluster';
import { eventually } from '../support/eventually';
import { freePort } from '../support/net';
import { activityEvents, firstAttempt } from '../support/history';
import { owedNoContactNotices } from '../support/owed-notices';
import { mailTestTeardown } from '../support/mail-teardown';
import { smtpServer } from '../support/smtp';
import { startWorkerProcess, workerOutputs } from '../support/worker-process';

let cluster: Awaited<ReturnType<typeof devCluster>> | undefined;
let smtp: Awaited<ReturnType<typeof smtpServer>> | undefined;
const directory = mailTestTeardown(() => [cluster, smtp]);

const PATHWAYS = 10;
const FROM = 'care-pathways@localhost'; // the worker's default sender

describe('the mail server down while notices fall due', () => {
  it('delivers every notice once it is back, exactly one e-mail each', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs()));
    cluster = await devCluster('smtp-outage');
    const { address, client } = cluster;
    smtp = await smtpServer();
    smtp.refuse(true); // down from the start: every notice meets the outage
    const taskQueue = 'smtp-outage-test';
    const metricsAddress = `127.0.0.1:${await freePort()}`;
    const worker = await startWorkerProcess({
      metricsAddress,
      address,
      taskQueue,
      workflowBundlePath: inject('workflowBundlePath'),
      smtpUrl: smtp.url,
      teamDirectoryPath: directory,
    });

    // Ten pathways nobody contacts: each owes the outreach team a no-contact notice after 10 s.
    const policy = { outreach: { noContactDays: 10 / 86_400 } };
    const downSince = Date.now();
    const handles = await Promise.all(
      Array.from({ length: PATHWAYS }, async (_, i) => {
        const pathwayId = `outage-${i}`;
        return (await client.workflow.start('pathwayWorkflow', {
          taskQueue,
          workflowId: pathwayWorkflowId(pathwayId),
          args: [{ start: { pathwayId, citizenRef: `ref-${i}`, team: 'outreach', by: outreachWorker, policy } }],
        })) as PathwayHandle;
      }),
    );

    // The notice each pathway owes, named as its e-mail will be: key from the passed deadline.
    const expected = await owedNoContactNotices(handles, FROM, 60_000);

    // The outage lasts until every notice has been turned away twice (its first try and first
    // retry, 10 s apart); the third try comes 20 s after the second.
    const refusals = (id: string) => smtp!.refusedMail.filter((m) => m.messageId === id).length;
    await eventually(() => {
      for (const n of expected) expect(refusals(n.messageId), n.h.workflowId).toBeGreaterThanOrEqual(2);
    }, 90_000);
    const refusedWhileDown = smtp.refusedCount();
    smtp.refuse(false);
    const upAgain = Date.now();
    const firstDue = Math.min(...expected.map((n) => Date.parse(n.key.slice('no-contact@'.length))));

    // Every notice arrives, and then nothing is left to send: each delivery ended as one completed activity.
    await eventually(() => {
      for (const n of expected) expect(smtp!.received.map((m) => m.messageId), n.h.workflowId).toContain(n.messageId);
    }, 90_000);
    const attempts = await eventually(
      () =>
        Promise.all(
          expected.map(async ({ h }) => {
            const events = (await h.fetchHistory()).events ?? [];
            const { scheduled, completed } = activityEvents(events, 'deliverNotice');
            expect({ scheduled, completed: completed.length }, h.workflowId).toEqual({ scheduled: 1, completed: 1 });
            return firstAttempt(events, 'deliverNotice');
          }),
        ),
      30_000,
    );

    // Exactly one e-mail per notice key, none lost, nothing else sent; none was ever set aside as failing.
    for (const n of expected) {
      const mails = smtp.received.filter((m) => m.messageId === n.messageId);
      expect(mails.map((m) => m.noticeKey), n.h.workflowId).toEqual([n.key]);
      expect(mails[0]!.to).toEqual(['outreach@kommune.test']);
    }
    expect(smtp.received).toHaveLength(PATHWAYS);
    for (const { h } of expected) expect((await h.describe()).typedSearchAttributes.get(PathwayFlags), h.workflowId).not.toContain('notice-failing');
    expect(refusedWhileDown).toBeGreaterThanOrEqual(2 * PATHWAYS);
    expect(smtp.refusedCount()).toBe(refusedWhileDown);
    expect(Math.min(...attempts)).toBeGreaterThanOrEqual(3);
    // The worker's Prometheus endpoint counts the same: ten sent, each refusal a failed attempt.
    const scraped = await (await fetch(`http://${metricsAddress}/metrics`)).text();
    const notices = (result: string) =>
      scraped
        .split('\n')
        .filter((l) => /^care_notices(_attempts)?(_total)?\{/.test(l) && l.includes(`result="${result}"`))
        .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    expect({ sent: notices('sent'), failed: notices('failed') }, scraped.split('\n').filter((l) => l.startsWith('care_')).join('\n')).toEqual({ sent: PATHWAYS, failed: refusedWhileDown });
    expect(scraped).toMatch(/^temporal_/m); // and the SDK runtime's own metrics beside them
    console.log(
      `smtp-outage: mail down ${Math.round((upAgain - downSince) / 1000)} s (${Math.round((upAgain - firstDue) / 1000)} s after the first notice fell due), ${refusedWhileDown} refusals, ${smtp.received.length} e-mails for ${PATHWAYS} notices, ` +
        `delivered on attempts ${JSON.stringify(attempts)}`,
    );
    await worker.stop();
  }, 240_000);
});
