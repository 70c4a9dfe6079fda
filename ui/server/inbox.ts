import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { scopeOf, type Actor, type CommandType } from '../../machines';
import { inTeams, quote } from './authorize';
import { list, type PathwaySummary } from './listing';
import { stuckReasons } from './supervision';

/**
 * "Needs me": what waits for the signed-in person, from visibility alone (no workflow is asked).
 * Incoming handoffs to their teams, extension requests for a team's supervisors, and the flagged
 * cases they coordinate; each with since when it waits and the action that answers it.
 */

export type InboxKind = 'handoff' | 'extension' | 'flagged';

export interface InboxItem extends PathwaySummary {
  kind: InboxKind;
  /** The action that answers it, opened with the case; none for a flag (the case says what is due). */
  answer: CommandType | null;
}

/** Flags that ask something of the case's coordinator: a waiting extension request is the supervisors'. */
const coordinatorFlags = Object.keys(stuckReasons).filter((f) => f !== 'extension-requested');

const running = [`WorkflowType = 'pathwayWorkflow'`, `ExecutionStatus = 'Running'`];

/** The queries behind each kind, for `a`; kinds their role has no part in are left out. */
function queries(a: Actor): [InboxKind, string][] {
  if (scopeOf(a, 'case.act') === null) return [];
  const kinds: [InboxKind, string][] = [
    ['handoff', [...running, inTeams('PathwayHandoffTo', a.teams)].join(' AND ')],
    ['flagged', [...running, `PathwayCoordinator = ${quote(a.id)}`, `PathwayFlags IN (${coordinatorFlags.map(quote).join(', ')})`].join(' AND ')],
  ];
  if (a.role === 'supervisor') kinds.push(['extension', [...running, inTeams('PathwayTeam', a.teams), `PathwayFlags = 'extension-requested'`].join(' AND ')]);
  return kinds;
}

const answers: Record<InboxKind, CommandType | null> = { handoff: 'handoff.accept', extension: 'extension.approve', flagged: null };

/** Everything waiting for `a`: handoffs first, longest waiting first; then extension requests and flags by nearest deadline. */
export async function inboxOf(client: Client, a: Actor): Promise<InboxItem[]> {
  const found = await Promise.all(queries(a).map(async ([kind, query]) => (await list(client, query)).map((r) => ({ ...r, kind, answer: answers[kind] }))));
  const order: InboxKind[] = ['handoff', 'extension', 'flagged'];
  const when = (i: InboxItem) => (i.kind === 'handoff' ? i.handoffAt : i.nextDeadline) ?? Infinity;
  return found.flat().sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind) || when(x) - when(y));
}

export function registerInbox(app: FastifyInstance, client: Client, actor: (request: FastifyRequest) => Actor) {
  app.get('/api/inbox', async (request) => {
    const items = await inboxOf(client, actor(request));
    return { items, count: items.length };
  });
}
