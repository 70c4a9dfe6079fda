import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { canonicalJson } from './canonical-json';
import { csv } from './csv';
import type { AccessLogTable, Database } from './schema';

/** Who did what to which case, and how it ended (issue: every access accounted for). */
export interface AccessLogInput {
  at: number;
  actor: { id: string; role: string; teams: readonly string[] };
  /** e.g. `pathway.read`, `audit.read`, `codec.decode`, `action.note`, `session.sign-in`. */
  action: string;
  pathwayId: string | null;
  /** e.g. `allowed`, `refused`, `failed`. */
  outcome: string;
  details?: Record<string, unknown>;
}

export interface AccessLogEntry extends AccessLogInput {
  id: number;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** The hash the first entry follows. */
export const GENESIS_HASH = '0'.repeat(64);
export const MAX_ACCESS_LOG_PAGE = 1000;

/** sha256 over the previous hash and the entry's canonical JSON: editing any field shows. */
export function accessLogHash(prevHash: string, e: AccessLogInput): string {
  const body = canonicalJson({
    at: new Date(e.at).toISOString(),
    actor: { id: e.actor.id, role: e.actor.role, teams: e.actor.teams },
    action: e.action,
    pathwayId: e.pathwayId,
    outcome: e.outcome,
    details: e.details ?? {},
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/**
 * Appends one entry. The head row is locked for the transaction, so concurrent appends (other
 * connections, other processes) chain one after another instead of forking.
 */
export async function appendAccessLog(db: Kysely<Database>, entry: AccessLogInput): Promise<AccessLogEntry> {
  return db.transaction().execute(async (tx) => {
    const head = await tx.selectFrom('access_log_head').select('hash').forUpdate().executeTakeFirstOrThrow();
    const hash = accessLogHash(head.hash, entry);
    const { id } = await tx
      .insertInto('access_log')
      .values({
        at: new Date(entry.at),
        actor_id: entry.actor.id,
        actor_role: entry.actor.role,
        actor_teams: [...entry.actor.teams],
        action: entry.action,
        pathway_id: entry.pathwayId,
        outcome: entry.outcome,
        details: JSON.stringify(entry.details ?? {}),
        prev_hash: head.hash,
        hash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await tx.updateTable('access_log_head').set({ last_id: id, hash }).execute();
    return { ...entry, details: entry.details ?? {}, id, prevHash: head.hash, hash };
  });
}

/** Entries after `afterId`, oldest first; only one pathway's, or one person's, when given. */
export async function pageAccessLog(
  db: Kysely<Database>,
  o: { pathwayId?: string; actorId?: string; afterId?: number; limit?: number } = {},
): Promise<AccessLogEntry[]> {
  const limit = o.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ACCESS_LOG_PAGE) {
    throw new RangeError(`access log page limit must be an integer from 1 to ${MAX_ACCESS_LOG_PAGE}, got ${limit}`);
  }
  let q = db.selectFrom('access_log').selectAll().where('id', '>', o.afterId ?? 0);
  if (o.pathwayId !== undefined) q = q.where('pathway_id', '=', o.pathwayId);
  if (o.actorId !== undefined) q = q.where('actor_id', '=', o.actorId);
  return (await q.orderBy('id').limit(limit).execute()).map(toEntry);
}

/** Entries as CSV, for a citizen's access request: one line each, details as JSON. */
export function accessLogCsv(entries: readonly AccessLogEntry[]): string {
  return csv(
    ['id', 'at', 'actor', 'role', 'teams', 'action', 'pathway', 'outcome', 'details', 'hash'],
    entries.map((e) => [e.id, new Date(e.at).toISOString(), e.actor.id, e.actor.role, e.actor.teams.join(' '), e.action, e.pathwayId, e.outcome, JSON.stringify(e.details), e.hash]),
  );
}

export type ChainBreak =
  | { id: number; problem: 'prev-hash-mismatch' | 'hash-mismatch' }
  /** Entries are missing from the end: the head names an entry that is gone or changed. */
  | { id: number; problem: 'head-mismatch' };

/** Walks the whole log in order; returns the first entry that breaks the chain, or null. */
export async function verifyAccessLogChain(db: Kysely<Database>, batch = 1000): Promise<ChainBreak | null> {
  let prev = GENESIS_HASH;
  let lastId = 0;
  for (;;) {
    const rows = await db.selectFrom('access_log').selectAll().where('id', '>', lastId).orderBy('id').limit(batch).execute();
    for (const row of rows) {
      if (row.prev_hash !== prev) return { id: row.id, problem: 'prev-hash-mismatch' };
      if (accessLogHash(prev, toEntry(row)) !== row.hash) return { id: row.id, problem: 'hash-mismatch' };
      prev = row.hash;
      lastId = row.id;
    }
    if (rows.length < batch) break;
  }
  const head = await db.selectFrom('access_log_head').selectAll().executeTakeFirstOrThrow();
  return head.hash === prev && head.last_id === lastId ? null : { id: head.last_id, problem: 'head-mismatch' };
}

function toEntry(row: Selectable<AccessLogTable>): AccessLogEntry {
  return {
    id: row.id,
    at: row.at.getTime(),
    actor: { id: row.actor_id, role: row.actor_role, teams: row.actor_teams },
    action: row.action,
    pathwayId: row.pathway_id,
    outcome: row.outcome,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
