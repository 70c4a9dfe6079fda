import { sql, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import type { Database, PathwayRecordsTable } from './schema';

const at = z.number().int().nonnegative();
const since = at.nullable();

/**
 * What a pathway did, kept after its run ends (the `record` column): the evaluation reports
 * are computed from it. Times are epoch milliseconds; null means "not yet".
 */
export const PathwayHistorySchema = z.object({
  stages: z.array(z.object({ stage: z.string().min(1), enteredAt: at, leftAt: since })),
  stays: z.array(
    z.object({
      facilityId: z.string().min(1),
      startedAt: at,
      endedAt: since,
      /** Why the place was given up, e.g. discharged, or released after the hospital hold. */
      endReason: z.string().min(1).nullable(),
      pauses: z.array(z.object({ from: at, to: since, reason: z.string().min(1) })),
      extensions: z.array(z.object({ days: z.number().int().positive(), requestedAt: at, decidedAt: since, approved: z.boolean().nullable() })),
    }),
  ),
  handoffs: z.array(
    z.object({ fromTeam: z.string().min(1), toTeam: z.string().min(1), target: z.string().min(1), requestedAt: at, acceptedAt: since, latencyMs: z.number().int().nonnegative().nullable() }),
  ),
  notices: z.array(z.object({ kind: z.string().min(1), to: z.enum(['coordinators', 'supervisors']), sentAt: at })),
  readmissions: z.array(z.object({ at })),
  /** Milestones the evaluations count (null: not reached); absent in records written before them. */
  firstReachedAt: since.default(null),
  consentGivenAt: since.default(null),
  referredAt: since.default(null),
  assessmentOutcome: z.enum(['care-place', 'other-offer', 'no-need']).nullable().default(null),
  followUpOutcome: z.enum(['stable', 'readmitted']).nullable().default(null),
  /** The citizen's plan and admissions; absent in records written before them. */
  goals: z
    .array(
      z.object({
        id: z.string().min(1),
        area: z.string().min(1),
        setAt: at,
        closedAt: since,
        outcome: z.enum(['achieved', 'dropped']).nullable(),
        ratings: z.array(z.object({ at, rating: z.number().int().min(1).max(10) })),
      }),
    )
    .default([]),
  yearlyReviews: z.array(z.object({ at })).default([]),
  admissionsBefore: z.object({ count: z.number().int().nonnegative(), days: z.number().int().nonnegative() }).nullable().default(null),
  admissions: z.array(z.object({ admittedAt: at, days: z.number().int().nonnegative() })).default([]),
  partnerRequests: z
    .array(z.object({ id: z.string().min(1), partnerId: z.string().min(1), requestedAt: at, dueAt: at, answeredAt: since, withdrawnAt: since }))
    .default([]),
});
export type PathwayHistory = z.infer<typeof PathwayHistorySchema>;

export interface PathwayRecord {
  pathwayId: string;
  citizenRef: string;
  team: string;
  openedAt: number;
  closedAt: number | null;
  closureReason: string | null;
  outcome: string | null;
  history: PathwayHistory;
}

/**
 * A record as written: fields added to the history later may be left out (their defaults apply).
 * `asOfSeq`: the last audit entry it reflects; a record as of an earlier entry than the one
 * stored does not replace it (writes may arrive out of order). Absent: it replaces any.
 */
export type PathwayRecordInput = Omit<PathwayRecord, 'history'> & { history: z.input<typeof PathwayHistorySchema>; asOfSeq?: number };

export interface PathwayRecordFilter {
  teams?: readonly string[];
  /** true: closed only; false: open only; absent: both. */
  closed?: boolean;
  /** Closed at or after / before (epoch ms). */
  closedFrom?: number;
  closedBefore?: number;
  outcome?: string;
  closureReason?: string;
}

/** Writes a pathway's record, replacing what was there unless that is newer: the latest state of a pathway wins. */
export async function upsertPathwayRecord(db: Kysely<Database>, record: PathwayRecordInput): Promise<void> {
  const history = PathwayHistorySchema.parse(record.history);
  const row = {
    pathway_id: record.pathwayId,
    citizen_ref: record.citizenRef,
    team: record.team,
    opened_at: new Date(record.openedAt),
    closed_at: record.closedAt === null ? null : new Date(record.closedAt),
    closure_reason: record.closureReason,
    outcome: record.outcome,
    record: JSON.stringify(history),
    updated_at: new Date(),
    as_of_seq: record.asOfSeq ?? null,
  };
  const { pathway_id: _, ...changes } = row;
  await db
    .insertInto('pathway_records')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('pathway_id')
        .doUpdateSet(changes)
        .where((eb) =>
          eb.or([
            eb('pathway_records.as_of_seq', 'is', null),
            eb('excluded.as_of_seq', 'is', null),
            eb('pathway_records.as_of_seq', '<=', eb.ref('excluded.as_of_seq')),
          ]),
        ),
    )
    .execute();
}

export async function getPathwayRecord(db: Kysely<Database>, pathwayId: string): Promise<PathwayRecord | null> {
  const row = await db.selectFrom('pathway_records').selectAll().where('pathway_id', '=', pathwayId).executeTakeFirst();
  return row ? toRecord(row) : null;
}

/** Newest closures first, open pathways after them. */
export async function listPathwayRecords(
  db: Kysely<Database>,
  filter: PathwayRecordFilter = {},
  page: { limit?: number; offset?: number } = {},
): Promise<PathwayRecord[]> {
  let q = db.selectFrom('pathway_records').selectAll();
  if (filter.teams) q = filter.teams.length ? q.where('team', 'in', [...filter.teams]) : q.where(sql<boolean>`false`);
  if (filter.closed !== undefined) q = q.where('closed_at', filter.closed ? 'is not' : 'is', null);
  if (filter.closedFrom !== undefined) q = q.where('closed_at', '>=', new Date(filter.closedFrom));
  if (filter.closedBefore !== undefined) q = q.where('closed_at', '<', new Date(filter.closedBefore));
  if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome);
  if (filter.closureReason !== undefined) q = q.where('closure_reason', '=', filter.closureReason);
  const rows = await q
    .orderBy(sql`closed_at desc nulls last`)
    .orderBy('pathway_id')
    .limit(page.limit ?? 100)
    .offset(page.offset ?? 0)
    .execute();
  return rows.map(toRecord);
}

export interface PurgedPathway {
  pathwayId: string;
  closedAt: number;
  auditEntries: number;
}

/**
 * Erases the pathways closed before `now - retentionMs`, with their audit trails, and returns
 * what it erased so the caller can log it. Open pathways are never erased.
 */
export async function purgePathwayRecords(db: Kysely<Database>, o: { now: number; retentionMs: number }): Promise<PurgedPathway[]> {
  if (!(o.retentionMs > 0)) throw new RangeError(`retention must be positive, got ${o.retentionMs} ms`);
  const cutoff = new Date(o.now - o.retentionMs);
  return db.transaction().execute(async (tx) => {
    const expired = tx.selectFrom('pathway_records').select('pathway_id').where('closed_at', '<', cutoff);
    const counts = await tx
      .selectFrom('audit_entries')
      .select((eb) => ['pathway_id', eb.fn.countAll<number>().as('n')])
      .where('pathway_id', 'in', expired)
      .groupBy('pathway_id')
      .execute();
    await tx.deleteFrom('audit_entries').where('pathway_id', 'in', expired).execute();
    const erased = await tx.deleteFrom('pathway_records').where('closed_at', '<', cutoff).returning(['pathway_id', 'closed_at']).execute();
    const audit = new Map(counts.map((c) => [c.pathway_id, Number(c.n)]));
    return erased
      .map((r) => ({ pathwayId: r.pathway_id, closedAt: r.closed_at!.getTime(), auditEntries: audit.get(r.pathway_id) ?? 0 }))
      .sort((a, b) => a.closedAt - b.closedAt || a.pathwayId.localeCompare(b.pathwayId));
  });
}

function toRecord(row: Selectable<PathwayRecordsTable>): PathwayRecord {
  return {
    pathwayId: row.pathway_id,
    citizenRef: row.citizen_ref,
    team: row.team,
    openedAt: row.opened_at.getTime(),
    closedAt: row.closed_at?.getTime() ?? null,
    closureReason: row.closure_reason,
    outcome: row.outcome,
    // Records written before a field existed read with its default.
    history: PathwayHistorySchema.parse(row.record),
  };
}
