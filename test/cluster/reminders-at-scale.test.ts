import { describe, expect, inject, it } from 'vitest';
import { pool, summarize } from '../../bench/stats';
import { pathwayWorkflowId } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import type { PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { owedNoContactNotices } from '../support/owed-notices';
import { mailTestTeardown } from '../support/mail-teardown';
import { smtpServer } from '../support/smtp';
import { temporalCluster } from '../support/temporal-cluster';
import { startWorkerProcess, workerOutputs } from '../support/worker-process';

let cluster: Awaited<ReturnType<typeof temporalCluster>> | undefined;
let smtp: Awaited<ReturnType<typeof smtpServer>> | undefined;
const directory = mailTestTeardown(() => [cluster, smtp]);

/** Pathways running with their timers armed (none due during the test); CLUSTER_ARMED for a smaller run. */
const ARMED = Number(process.env.CLUSTER_ARMED ?? 10_000);
/** Pathways whose no-contact reminder falls due during the test, after all the others are armed. */
const PROBES = 20;
const PROBE_LEAD_MS = 20_000;
/** Late enough to be a fault whatever the load on two cores: a reminder is due to the day. */
const LATE_MS = 60_000;
const FROM = 'care-pathways@localhost';

describe(`on the cluster, with ${ARMED} pathways armed`, () => {
  it('sends every reminder that falls due, once, after its due time and within a minute of it', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs(), cluster?.output().slice(-4000)));
    cluster = await temporalCluster();
    smtp = await smtpServer();
    const c = cluster;
    const taskQueue = 'cluster-armed';
    const start = () =>
      startWorkerProcess({ address: c.address, taskQueue, workflowBundlePath: inject('workflowBundlePath'), databaseUrl: c.databaseUrl, smtpUrl: smtp!.url, teamDirectoryPath: directory });
    await Promise.all([start(), start(), start()]);
    const startPathway = async (pathwayId: string, policy = {}) =>
      (await c.client.workflow.start('pathwayWorkflow', {
        taskQueue,
        workflowId: pathwayWorkflowId(pathwayId),
        args: [{ start: { pathwayId, citizenRef: `ref-${pathwayId}`, team: 'outreach', by: outreachWorker, policy } }],
      })) as PathwayHandle;

    // The armed: each has run its first task (its stage is visible) and waits on its deadlines, weeks away.
    const t0 = Date.now();
    const starting = await pool(ARMED, 64, async (i) => void (await startPathway(`armed-${i}`)));
    const armed = await eventually(async () => {
      const { count } = await c.client.workflow.count(`WorkflowType = 'pathwayWorkflow' AND PathwayStage = 'outreach' AND WorkflowId STARTS_WITH 'pathway-armed-'`);
      expect(count).toBe(ARMED);
      return count;
    }, 900_000);
    const built = Date.now() - t0;

    const probes = await Promise.all(
      Array.from({ length: PROBES }, (_, i) => startPathway(`probe-${i}`, { outreach: { noContactDays: PROBE_LEAD_MS / 86_400_000 } })),
    );
    const owed = await owedNoContactNotices(probes, FROM, PROBE_LEAD_MS + LATE_MS + 60_000);
    await eventually(() => expect(owed.filter((n) => !smtp!.received.some((m) => m.messageId === n.messageId)).map((n) => n.key)).toEqual([]), LATE_MS + 60_000);

    const lags = owed.map((n) => {
      const mails = smtp!.received.filter((m) => m.messageId === n.messageId);
      expect(mails, n.h.workflowId).toHaveLength(1);
      return mails[0]!.at - Date.parse(n.key.slice(n.key.indexOf('@') + 1));
    });
    const lag = summarize(lags);
    console.log(
      `cluster, 3 workers: ${armed} pathways started in ${(starting / 1000).toFixed(0)} s, all armed after ${(built / 1000).toFixed(0)} s ` +
        `(${(armed / (built / 1000)).toFixed(1)} a second); ${PROBES} reminders due after that: lag p50 ${lag.p50.toFixed(0)} ms, ` +
        `max ${Math.max(...lags).toFixed(0)} ms`,
    );
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lags)).toBeLessThan(LATE_MS);
    // Only the probes were due: none of the armed sent anything.
    expect(smtp.received).toHaveLength(PROBES);
  }, 1_800_000);
});
