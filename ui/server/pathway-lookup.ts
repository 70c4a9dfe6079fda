import { setTimeout as sleep } from 'node:timers/promises';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { sealerOf } from '../../codec/sealed';
import { mayReach, scopeOf, type Actor, type CaseTeams } from '../../machines';
import { getPathwayRecord, type PathwayRecord, type Records } from '../../records';
import { auditQuery, pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import type { pathwayWorkflow } from '../../workflows/pathway';
import { HttpError, isRunEnding, OutOfScope } from './errors';

export interface LookupOptions {
  client: Client;
  /** Closed pathways' records, once Temporal no longer has their runs. */
  records: Records;
  /** How long one call to Temporal may take before the API answers 503 (a worker away, say). */
  rpcTimeoutMs: number;
}

export type PathwayLookup = ReturnType<typeof pathwayLookup>;

/**
 * How long to wait before sending again, the `attempt`th time (from 0), an action a run refused
 * while ending. A run usually ends within one write's round trip (10 to 30 ms measured), so the
 * first pauses are short; they double up to 200 ms for a run that waits longer (a store down).
 */
export const runEndingPause = (attempt: number) => Math.min(10 * 2 ** attempt, 200);

/**
 * Finding one pathway for one person: in Temporal while it runs (and until retention ends), in
 * the record store after. Scope is checked here (machines/authorization.ts) before anything about
 * the pathway is answered: outside it, a pathway is not found.
 */
export function pathwayLookup(o: LookupOptions) {
  const handle = (id: string) => o.client.workflow.getHandle<typeof pathwayWorkflow>(pathwayWorkflowId(id));
  const timely = <T>(fn: () => Promise<T>) => o.client.withDeadline(Date.now() + o.rpcTimeoutMs, fn);
  // What the record store sealed (codec/sealed.ts) opens with the client's codec: the same keys as payloads.
  const sealer = sealerOf(o.client.options.loadedDataConverter.payloadCodecs);
  const recordOf = async (id: string): Promise<PathwayRecord | null> => {
    const record = await getPathwayRecord(o.records.db, id);
    return record && { ...record, citizenRef: String(await sealer.open(record.citizenRef)) };
  };

  const exists = (id: string) =>
    timely(() => handle(id).describe()).then(
      () => true,
      (err) => (err instanceof WorkflowNotFoundError ? false : Promise.reject(err)),
    );

  /** The view (or the closed pathway's record) and the audit entries its run holds. */
  async function current(id: string, a: Actor) {
    if (scopeOf(a, 'case.read') === null) throw new OutOfScope();
    const h = handle(id);
    try {
      const view = await timely(() => h.query(viewQuery, a, Date.now()));
      if (!mayReach(a, 'case.read', { responsibleTeam: view.responsibleTeam, handoffTo: view.handoff?.toTeam, peers: view.peers })) throw new OutOfScope();
      return { view, record: null, held: await timely(() => h.query(auditQuery)) };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const record = await recordOf(id);
      if (!record) throw err;
      if (!mayReach(a, 'case.read', { responsibleTeam: record.team })) throw new OutOfScope();
      return { view: null, record, held: [] };
    }
  }

  /** The teams pathway `id` concerns, from its run while Temporal has it, else from its record; null for an unknown one. */
  async function teamsOf(id: string, asker: Actor): Promise<CaseTeams | null> {
    try {
      const view = await timely(() => handle(id).query(viewQuery, asker));
      return { responsibleTeam: view.responsibleTeam, handoffTo: view.handoff?.toTeam ?? null, peers: view.peers };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const record = await recordOf(id);
      return record ? { responsibleTeam: record.team } : null;
    }
  }

  /**
   * Runs `fn` (an Update) on the pathway. A run refuses actions for a moment while it ends
   * (at 600 history events, about every 110 notes: workflows/pathway.ts): the action is sent again, with the same
   * Update id, until the next run takes it or the time for one call is up. The SDK says "not
   * found" for a workflow that has completed or is gone: a closed pathway answers 409 to those
   * who may read it.
   */
  async function acting<T>(id: string, a: Actor, fn: () => Promise<T>): Promise<T> {
    const until = Date.now() + o.rpcTimeoutMs;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return await timely(fn);
        } catch (err) {
          const pause = runEndingPause(attempt);
          if (!isRunEnding(err) || Date.now() + pause > until) throw err;
          await sleep(pause);
        }
      }
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const teams = await teamsOf(id, a);
      if (teams === null) throw err;
      if (!mayReach(a, 'case.read', teams)) throw new OutOfScope();
      throw new HttpError(409, 'pathway-closed', 'the pathway is closed: nothing more can be done on it');
    }
  }

  return { handle, timely, exists, current, teamsOf, acting, sealer };
}
