import type { AuditEntry, PathwayContext } from './context';
import type { PathwayEvent } from './events';

/**
 * How many of the newest audit entries the pathway keeps: the whole trail lives in the record
 * store (written by the workflow, workflows/records-lane.ts), so a run's state stays small.
 */
export const AUDIT_TAIL = 20;

type Trail = Pick<PathwayContext, 'audit' | 'auditCount'>;

/** Entries written so far; pathways from before the count kept every entry. */
export const auditCountOf = (c: Trail) => c.auditCount ?? c.audit.length;

/** The audit trail with one more entry, numbered: the bounded tail and the count. */
export function withEntry(c: Trail, entry: Omit<AuditEntry, 'seq'>): Trail {
  const auditCount = auditCountOf(c) + 1;
  return { audit: [...c.audit, { seq: auditCount, ...entry }].slice(-AUDIT_TAIL), auditCount };
}

/** The engine, as the author of what time and the rules do. */
export const ENGINE = { id: 'system', role: 'system' } as const;

/** An accepted command as an audit entry: who, when, what, and its fields. */
export function entryOf(e: PathwayEvent, version: number): Omit<AuditEntry, 'seq'> {
  const { type, by, at, ...details } = e;
  return { at, by: { id: by.id, role: by.role }, type, ...(Object.keys(details).length > 0 ? { details } : {}), version };
}
