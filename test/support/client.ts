import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { Actor, Command } from '../../machines';
import { actUpdate, pathwayWorkflowId, RejectionType, viewQuery, type StartPathway } from '../../workflows/messages';
import type { pathwayWorkflow } from '../../workflows/pathway';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { outreachWorker } from './actors';

export type PathwayHandle = WorkflowHandle<typeof pathwayWorkflow>;

export async function startPathway(
  env: TestWorkflowEnvironment,
  taskQueue: string,
  overrides: Partial<StartPathway> = {},
  limits?: { maxUpdates?: number; maxHistoryEvents?: number },
): Promise<PathwayHandle> {
  const pathwayId = overrides.pathwayId ?? randomUUID().slice(0, 13);
  return env.client.workflow.start('pathwayWorkflow', {
    taskQueue,
    workflowId: pathwayWorkflowId(pathwayId),
    args: [{ start: { pathwayId, citizenRef: `ref-${pathwayId}`, team: 'outreach', by: outreachWorker, ...overrides }, ...(limits ? { limits } : {}) }],
  }) as Promise<PathwayHandle>;
}

/** Sends one action as the UI would: with the version it saw and a fresh request id. */
export async function act(handle: PathwayHandle, actor: Actor, command: Command, opts: { version?: number; requestId?: string } = {}) {
  const version = opts.version ?? (await handle.query(viewQuery, actor)).version;
  const requestId = opts.requestId ?? randomUUID();
  return handle.executeUpdate(actUpdate, { args: [{ requestId, expectedVersion: version, actor, command }], updateId: requestId });
}

/**
 * Sends an action as the API's clients do when it meets a run's end: again, with the same
 * request id, when the run refused it as ending (PathwayRunEnding: nothing done) or the server
 * could not take it as the run moved on. Any other refusal is final.
 */
export async function actAcrossRunEnd(handle: PathwayHandle, actor: Actor, command: Command, opts: { version?: number; onAgain?: (err: Error) => void } = {}) {
  const requestId = randomUUID();
  for (let again = 0; ; again++) {
    try {
      return await act(handle, actor, command, { version: opts.version, requestId });
    } catch (err) {
      const refused = err instanceof WorkflowUpdateFailedError;
      const ending = refused && (err.cause as { type?: string } | undefined)?.type === RejectionType.busy;
      if ((refused && !ending) || again >= 200) throw err;
      opts.onAgain?.(err as Error);
      await sleep(100);
    }
  }
}
