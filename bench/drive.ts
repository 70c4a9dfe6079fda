import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Actor, Command, PolicyInput } from '../machines';
import { member } from '../test/support/actors';
import { isRunEnding } from '../ui/server/errors';
import { runEndingPause } from '../ui/server/pathway-lookup';
import { actUpdate, pathwayWorkflowId, type RunLimits } from '../workflows/messages';
import type { pathwayWorkflow } from '../workflows/pathway';
import { noopUpdate, type noopWorkflow } from './baseline-workflow';

/** Drives pathways and no-op workflows as the web UI would: one Update per action, with a request id. */


export interface Driver {
  readonly workflowId: string;
  /** One accepted action; resolves when its answer is back. */
  act(): Promise<void>;
}

export class PathwayDriver implements Driver {
  constructor(
    readonly handle: WorkflowHandle<typeof pathwayWorkflow>,
    readonly actor: Actor,
    public version = 1,
  ) {}
  get workflowId() {
    return this.handle.workflowId;
  }
  /**
   * Sends `command` with the version last seen, as a person at the screen would; an action a
   * run refused while ending is sent again, as the API does (ui/server/pathway-lookup.ts), and
   * the wait counts in its latency.
   */
  async send(command: Command, actor = this.actor): Promise<void> {
    const requestId = randomUUID();
    for (let attempt = 0; ; attempt++) {
      try {
        const view = await this.handle.executeUpdate(actUpdate, {
          args: [{ requestId, expectedVersion: this.version, actor, command }],
          updateId: requestId,
        });
        this.version = view.version;
        return;
      } catch (err) {
        if (!isRunEnding(err)) throw err;
        await sleep(runEndingPause(attempt));
      }
    }
  }
  act() {
    return this.send({ type: 'note.add', text: 'bench' });
  }
}

export async function startPathway(
  client: Client,
  taskQueue: string,
  pathwayId: string,
  o: { team?: string; policy?: PolicyInput; limits?: Partial<RunLimits> } = {},
): Promise<PathwayDriver> {
  const team = o.team ?? 'outreach';
  const by = member(team);
  const handle = await client.workflow.start<typeof pathwayWorkflow>('pathwayWorkflow', {
    taskQueue,
    workflowId: pathwayWorkflowId(pathwayId),
    args: [{ start: { pathwayId, citizenRef: `ref-${pathwayId}`, team, by, ...(o.policy ? { policy: o.policy } : {}) }, ...(o.limits ? { limits: o.limits } : {}) }],
  });
  return new PathwayDriver(handle, by);
}

export class NoopDriver implements Driver {
  constructor(readonly handle: WorkflowHandle<typeof noopWorkflow>) {}
  get workflowId() {
    return this.handle.workflowId;
  }
  /** The same request the pathway gets, answered by a counter. */
  async act(reject = false): Promise<void> {
    const requestId = randomUUID();
    await this.handle.executeUpdate(noopUpdate, {
      args: [{ requestId, expectedVersion: 1, actor: member('outreach'), command: { type: 'note.add', text: 'bench' }, reject }],
      updateId: requestId,
    });
  }
}

export async function startNoop(client: Client, taskQueue: string, id: string): Promise<NoopDriver> {
  return new NoopDriver(await client.workflow.start<typeof noopWorkflow>('noopWorkflow', { taskQueue, workflowId: `noop-${id}` }));
}
