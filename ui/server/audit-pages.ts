import type { AuditEntry as MachineAuditEntry } from '../../machines';
import type { Sealer } from '../../codec/sealed';
import { countAuditEntries, MAX_AUDIT_PAGE, pageAuditEntries, type AuditEntry, type Records } from '../../records';

/** How many entries the detail page shows at first, and per "show older". */
export const AUDIT_PAGE = 50;

/**
 * One page of a pathway's audit trail, oldest first: the record store's entries merged with
 * those the workflow still holds (its tail, and any not yet written). `before`: the newest
 * entries older than that sequence number (the detail page's "show older"); `after`: the
 * oldest entries newer than it. `older`: whether entries before the page remain.
 */
export interface AuditPage {
  entries: AuditEntry[];
  older: boolean;
}

export async function auditPage(
  { records, sealer }: { records?: Records; sealer: Sealer },
  pathwayId: string,
  held: readonly MachineAuditEntry[],
  page: { before?: number; after?: number; limit?: number } = {},
): Promise<AuditPage> {
  const limit = Math.min(page.limit ?? AUDIT_PAGE, MAX_AUDIT_PAGE);
  const stored = records ? await countAuditEntries(records.db, pathwayId) : 0;
  // Entries are written in order from 1, so the store holds 1..stored; the workflow the rest.
  const newest = Math.max(stored, ...held.map((e) => e.seq));
  const [from, to] =
    page.after !== undefined
      ? [page.after + 1, Math.min(newest, page.after + limit)]
      : [Math.max(1, Math.min(page.before ?? newest + 1, newest + 1) - limit), Math.min(page.before ?? newest + 1, newest + 1) - 1];
  const bySeq = new Map<number, AuditEntry>();
  if (records && from <= Math.min(to, stored)) {
    for (const e of await pageAuditEntries(records.db, pathwayId, { afterSeq: from - 1, limit: Math.min(to, stored) - from + 1 })) {
      // Notes and reasons were sealed when written (activities/records.ts).
      bySeq.set(e.seq, e.details === undefined ? e : { ...e, details: (await sealer.open(e.details)) as Record<string, unknown> });
    }
  }
  // What the workflow holds wins: the store may still have a worker's write at once of a step its history did not keep.
  for (const e of held) if (e.seq >= from && e.seq <= to) bySeq.set(e.seq, e);
  const entries = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { entries, older: (entries[0]?.seq ?? from) > 1 };
}
