import type { Client } from '@temporalio/client';
import { Worker, type ReplayWorkerOptions } from '@temporalio/worker';

/**
 * The gate a new build passes before it may take traffic (docs/deployment.md, "Upgrading"): the
 * recorded histories of running pathways and facilities, replayed against the new code. A
 * replay that takes another path than the recording (a change not behind `patched`) fails it,
 * before any running pathway can meet that code.
 */
export interface GateResult {
  replayed: number;
  failed: { workflowId: string; runId: string; error: string }[];
}

const running = `WorkflowType IN ('pathwayWorkflow', 'facilityWorkflow') AND ExecutionStatus = 'Running'`;

/** Replays up to `limit` running histories (newest first) with `worker` options: the new build's bundle and data converter. */
export async function replayGate(client: Client, worker: ReplayWorkerOptions, o: { limit?: number } = {}): Promise<GateResult> {
  const limit = o.limit ?? 10_000;
  const histories = (async function* () {
    let n = 0;
    for await (const w of client.workflow.list({ query: running })) {
      if (n++ >= limit) return;
      yield { workflowId: w.workflowId, history: await client.workflow.getHandle(w.workflowId, w.runId).fetchHistory() };
    }
  })();
  const result: GateResult = { replayed: 0, failed: [] };
  for await (const r of Worker.runReplayHistories(worker, histories)) {
    result.replayed++;
    if (r.error) result.failed.push({ workflowId: r.workflowId, runId: r.runId, error: String(r.error) });
  }
  return result;
}

/** Makes `buildId` the deployment's current version: new tasks of every pathway go to it (they auto-upgrade). */
export async function promote(client: Client, o: { namespace: string; deploymentName: string; buildId: string; identity: string }): Promise<void> {
  await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: o.namespace,
    deploymentName: o.deploymentName,
    buildId: o.buildId,
    identity: o.identity,
  });
}
