import type { ClosureReason, Role } from './events';
import type { Policy } from './policy';
import type { Circle } from './circle';
import type { Admissions, RecoveryPlan, SafetyMarker } from './recovery';

/**
 * The pathway's durable memory. It crosses Temporal as JSON (continue-as-new, queries), so it
 * holds only plain data: epoch milliseconds, never Date, Map or Set.
 */
export interface PathwayContext {
  pathwayId: string;
  /** Opaque reference to the citizen in the municipality's own records. */
  citizenRef: string;
  /** The citizen's name, where one was entered; it travels only in encrypted payloads. */
  citizenName?: string;
  policy: Policy;
  /** Bumped by every accepted command; clients send the version they saw. */
  version: number;
  /** Workflow time of the latest event; deadlines at or before it have passed. */
  now: number;
  createdAt: number;
  responsibleTeam: string;
  coordinator: string | null;
  stageEnteredAt: number;
  lastContactAt: number | null;
  consent: { given: boolean; at: number; by: string } | null;
  /** A handoff waiting for the receiving team; the sender stays responsible meanwhile. */
  handoff: Handoff | null;
  facilityId: string | null;
  stay: StayClock | null;
  /** The place this pathway lost when a hospital hold ran out, until it has a place again: rejoining keeps its turn. */
  lostPlace?: { facilityId: string; at: number };
  followUp: { startedAt: number; readmissions: number } | null;
  closure: { reason: ClosureReason; at: number; by: string; note?: string } | null;
  /** The citizen's recovery plan (machines/recovery.ts); absent until its first goal, and in pathways older than it. */
  plan?: RecoveryPlan;
  /** The staff-safety marker while one stands. */
  safety?: SafetyMarker | null;
  /** Psychiatric admissions before and during the pathway, for the before/after measure. */
  admissions?: Admissions;
  /** Network, scoped consents, peer workers and partner requests (machines/circle.ts); absent until first used. */
  circle?: Circle;
  /** When the latest yearly review was held; the first falls due a year after the start. */
  yearlyReviewedAt?: number;
  /** The newest entries of the audit trail (at most AUDIT_TAIL since the count exists); the whole trail is in the record store. */
  audit: AuditEntry[];
  /** Entries written in all; absent in pathways that kept their whole trail here. */
  auditCount?: number;
}

export type HandoffTarget = 'assessment' | 'waiting' | 'followUp';

export interface Handoff {
  fromTeam: string;
  toTeam: string;
  target: HandoffTarget;
  requestedAt: number;
  requestedBy: string;
}

/**
 * The eight-week clock. The limit is not stored but derived (`stayEndsAt`), so pausing,
 * resuming and extending can never leave a stale end date behind.
 */
export interface StayClock {
  facilityId: string;
  startedAt: number;
  /** Days added by approved extensions. */
  extendedDays: number;
  /** Time spent admitted to hospital, during which the clock stood still. */
  pausedMs: number;
  pausedSince: number | null;
  dischargePlanningStartedAt: number | null;
  extensionRequest: { days: number; reason: string; requestedAt: number; requestedBy: string } | null;
}

export interface AuditEntry {
  seq: number;
  at: number;
  by: { id: string; role: Role };
  type: string;
  /** The command's fields besides type; free text stays inside the workflow's payloads. */
  details?: Record<string, unknown>;
  /** Version after the entry; absent for entries written by the engine itself. */
  version?: number;
}
