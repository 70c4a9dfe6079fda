import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { Actor, Command } from '../../machines';
import { actUpdate, pathwayWorkflowId, viewQuery, type StartPathway } from '../../workflows/messages';
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
