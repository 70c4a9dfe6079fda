/** The entries a records lane holds until the store has them (workflows/records-lane.ts). */
import { log } from '@temporalio/workflow';
import type { AuditEntry, PathwaySnapshot } from '../machines';

export const bySeq = (a: AuditEntry, b: AuditEntry) => a.seq - b.seq;

/** The audit entries a step added after the first `seen`; a gap means entries left the tail untaken. */
export function freshEntries(pathwayId: string, seen: number, after: PathwaySnapshot): AuditEntry[] {
  const fresh = after.context.audit.filter((e) => e.seq > seen);
  if (fresh.length > 0 && fresh[0]!.seq !== seen + 1) {
    log.error('audit entries fell out of the tail before they were taken', { pathwayId, from: seen + 1, to: fresh[0]!.seq - 1 });
  }
  return fresh;
}

/** The range of sequence numbers `behind` holds (steps add to it one after another), for the next run. */
export const behindRange = (behind: readonly AuditEntry[]) => (behind.length > 0 ? { from: behind[0]!.seq, to: behind.at(-1)!.seq } : undefined);

/** What a run was handed: still to write, and what a worker took at once (the `behindRange` it was handed with). */
export function splitCarried(entries: readonly AuditEntry[], range?: { from: number; to: number }) {
  const taken = (e: AuditEntry) => range !== undefined && e.seq >= range.from && e.seq <= range.to;
  return { unwritten: entries.filter((e) => !taken(e)), behind: entries.filter(taken) };
}

/** The trail a run can show: entries it still holds that are older than its tail, then the tail. */
export function heldTrail(tail: readonly AuditEntry[], held: readonly AuditEntry[]): AuditEntry[] {
  const older = held.filter((e) => e.seq < (tail[0]?.seq ?? Infinity)).sort(bySeq);
  return [...older, ...tail];
}
