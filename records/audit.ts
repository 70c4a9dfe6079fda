import type { Kysely, Selectable } from 'kysely';
import type { AuditEntriesTable, Database } from './schema';

/**
 * One accepted action on a pathway, shaped as the workflow keeps it (`AuditEntry` in
 * machines/context.ts): times in epoch milliseconds, plain data only.
 */
export interface AuditEntry {
  seq: number;
  at: number;
  by: { id: string; role: string };
  type: string;
  /** What the entry says; a string where the writer sealed it (codec/sealed.ts: notes and reasons are citizens' words). */
  details?: Record<string, unknown> | string;
  version?: number;
}

/** PostgreSQL takes at most 65,535 parameters in one statement; 8 per row. */
const ROWS_PER_INSERT = 1000;
export const MAX_AUDIT_PAGE = 1000;

/** One pathway's entries, in a write that may carry several pathways'. */
export interface PathwayEntries {
  pathwayId: string;
  entries: readonly AuditEntry[];
}

/**
 * Writes entries. By default it ignores any whose (pathway, seq) is already there: an activity
 * retried after a crash writes the same entries again. `replace` makes these entries win
 * instead: the server's durable write replaces what a write at once from the worker put there,
 * as only the durable write is sure to come from a step the pathway's history kept.
 * Returns how many rows were written.
 */
export const insertAuditEntries = (db: Kysely<Database>, pathwayId: string, entries: readonly AuditEntry[], o: { replace?: boolean } = {}) =>
  insertManyAuditEntries(db, [{ pathwayId, entries }], o);

/** As `insertAuditEntries`, for several pathways at once: one statement for up to 1,000 rows. */
export async function insertManyAuditEntries(db: Kysely<Database>, batch: readonly PathwayEntries[], o: { replace?: boolean } = {}): Promise<number> {
  const all = batch.flatMap(({ pathwayId, entries }) => entries.map((e) => rowOf(pathwayId, e)));
  let inserted = 0;
  for (let i = 0; i < all.length; i += ROWS_PER_INSERT) {
    const result = await db
      .insertInto('audit_entries')
      .values(all.slice(i, i + ROWS_PER_INSERT))
      .onConflict((oc) => {
        const on = oc.columns(['pathway_id', 'seq']);
        if (!o.replace) return on.doNothing();
        return on.doUpdateSet((eb) => ({
          at: eb.ref('excluded.at'),
          actor_id: eb.ref('excluded.actor_id'),
          actor_role: eb.ref('excluded.actor_role'),
          type: eb.ref('excluded.type'),
          details: eb.ref('excluded.details'),
          version: eb.ref('excluded.version'),
        }));
      })
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

const rowOf = (pathwayId: string, e: AuditEntry) => ({
  pathway_id: pathwayId,
  seq: e.seq,
  at: new Date(e.at),
  actor_id: e.by.id,
  actor_role: e.by.role,
  type: e.type,
  details: e.details === undefined ? null : JSON.stringify(e.details),
  version: e.version ?? null,
});

/** The entries after `afterSeq` (all when absent), oldest first, at most `limit`. */
export async function pageAuditEntries(
  db: Kysely<Database>,
  pathwayId: string,
  page: { afterSeq?: number; limit?: number } = {},
): Promise<AuditEntry[]> {
  const limit = page.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_PAGE) {
    throw new RangeError(`audit page limit must be an integer from 1 to ${MAX_AUDIT_PAGE}, got ${limit}`);
  }
  const rows = await db
    .selectFrom('audit_entries')
    .selectAll()
    .where('pathway_id', '=', pathwayId)
    .where('seq', '>', page.afterSeq ?? -1)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map(toEntry);
}

export async function countAuditEntries(db: Kysely<Database>, pathwayId: string): Promise<number> {
  const { n } = await db
    .selectFrom('audit_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('pathway_id', '=', pathwayId)
    .executeTakeFirstOrThrow();
  return Number(n);
}

function toEntry(row: Selectable<AuditEntriesTable>): AuditEntry {
  return {
    seq: row.seq,
    at: row.at.getTime(),
    by: { id: row.actor_id, role: row.actor_role },
    type: row.type,
    ...(row.details === null ? {} : { details: row.details }),
    ...(row.version === null ? {} : { version: row.version }),
  };
}
