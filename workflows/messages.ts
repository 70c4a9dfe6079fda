import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { Patched } from './patches';
import {
  ActorSchema,
  CitizenNameSchema,
  CommandSchema,
  matches,
  OpaqueIdSchema,
  TeamIdSchema,
  type Actor,
  type AuditEntry,
  type CaseHistory,
  type ClosureReason,
  type Effect,
  type Flag,
  type PathwayView,
  type PersistedPathway,
  type PolicyInput,
} from '../machines';

/**
 * The pathway workflow's public contract, shared by the worker, the API and tests. Only
 * definitions live here (no handlers), so the client side can import it safely.
 */

export const pathwayWorkflowId = (pathwayId: string) => `pathway-${pathwayId}`;

/** The pathway's memo: what list pages show without asking each workflow; encrypted like every payload. */
export interface PathwayMemo {
  citizenName?: string;
  citizenRef?: string;
}

export const StartPathwaySchema = z.object({
  pathwayId: OpaqueIdSchema,
  /** The municipality's own opaque reference to the citizen; never a name or personal ID number. */
  citizenRef: OpaqueIdSchema,
  citizenName: CitizenNameSchema.optional(),
  team: TeamIdSchema,
  coordinator: OpaqueIdSchema.nullable().optional(),
  by: ActorSchema,
});
export type StartPathway = z.infer<typeof StartPathwaySchema> & { policy?: PolicyInput };

/** Limits of one workflow run; a pathway continues as new before reaching them. */
export interface RunLimits {
  /** Temporal caps a run at 2,000 Updates; stay well below it. */
  maxUpdates: number;
  /**
   * A worker that no longer has the pathway cached replays its run before the next action, at
   * about 0.4 ms an event on two cores (`npm run bench`, cache eviction): a run of 1,200 events
   * keeps that first action under half a second, about 225 notes. Each run end slows the action
   * that meets it by 20 to 35 ms; at 600 events those fell on the 1-client p99.
   */
  maxHistoryEvents: number;
}
export const defaultRunLimits: RunLimits = { maxUpdates: 1_500, maxHistoryEvents: 1_200 };
/** Runs recorded before this patch ended at 600 events. */
const LONGER_RUNS = 'runs-of-1200-events';
/** A run's limits unless its start asks others, as its history was recorded. */
export const runLimits = (patched: Patched): RunLimits => (patched(LONGER_RUNS) ? defaultRunLimits : { ...defaultRunLimits, maxHistoryEvents: 600 });

/** What one run hands the next through continue-as-new. */
export interface Carried {
  pathway: PersistedPathway;
  /** Request ids already applied, with the version they produced and their sender (absent in older runs): Temporal's own dedupe ends with the run. */
  applied: [requestId: string, version: number, by?: string][];
  /** Effects not yet carried out. */
  outbox: Effect[];
  /** Keys of notices already delivered (absent in runs older than the key). */
  sent?: string[];
  /** What the record store has yet to get (absent in runs that kept the whole audit trail in `pathway`). */
  records?: CarriedRecords;
}

/** The record store's part of a run's hand-over (workflows/records-lane.ts). */
export interface CarriedRecords {
  /** Audit entries not yet written, oldest first. */
  unwritten: AuditEntry[];
  history: CaseHistory;
  /** The record changed since it was last written. */
  recordDue: boolean;
  /**
   * The sequence numbers of `unwritten` a worker took to write at once ('behind',
   * workflows/records-lane.ts): the next run keeps them behind its durable write, as this one
   * did, rather than writing them as it starts. Runs that do not know it write them all.
   */
  behind?: { from: number; to: number };
}

export type PathwayWorkflowInput =
  | { start: StartPathway; limits?: Partial<RunLimits> }
  | { carried: Carried; limits?: Partial<RunLimits> };

export interface PathwayOutcome {
  pathwayId: string;
  reason: ClosureReason;
  closedAt: number;
  /** Notices still failing when the pathway closed, given up on (each also in the audit trail). */
  undeliverableNotices?: { kind: string; key: string }[];
}

/** Flags the workflow raises itself, about carrying out effects, beside the machine's own. */
export const workflowFlags = ['notice-failing', 'facility-unreachable', 'records-failing'] as const;
export type WorkflowFlag = (typeof workflowFlags)[number];

/** Distributes over the view's union, so each stage keeps its own fields. */
type WithWorkflowFlags<V> = V extends unknown ? Omit<V, 'flags'> & { flags: (Flag | WorkflowFlag)[] } : never;
/** The machine's view with the workflow's own flags among its flags: what queries and Updates answer. */
export type PathwayWorkflowView = WithWorkflowFlags<PathwayView>;

export const ActRequestSchema = z
  .object({
    /** Chosen by the client per click, and passed as the Update id too: a retried click applies once. */
    requestId: z.string().refine(matches(/^[A-Za-z0-9_-]{8,128}$/), 'use 8-128 letters, digits, "_" or "-"'),
    expectedVersion: z.number().int().positive(),
    actor: ActorSchema,
    command: CommandSchema,
  })
  .strict();
export type ActRequest = z.infer<typeof ActRequestSchema>;

/** One coordinator or supervisor action. Rejected by the validator with a reason, or applied. */
export const actUpdate = defineUpdate<PathwayWorkflowView, [ActRequest]>('act');
/** Sent with the start (update-with-start), so a new pathway answers its first view in one round trip; changes nothing. */
export const openUpdate = defineUpdate<PathwayWorkflowView, [Actor]>('open');
/**
 * The pathway as `actor` sees it at `at` (epoch ms; the reader's clock), with what they may do
 * next. A query cannot advance the pathway's clock, so without `at` figures relative to now
 * (day counts, passed deadlines, flags) are those of the latest event.
 */
export const viewQuery = defineQuery<PathwayWorkflowView, [actor: Actor, at?: number]>('view');
/** The newest audit entries the workflow holds, with any not yet in the record store; oldest first. */
export const auditQuery = defineQuery<AuditEntry[]>('audit');
/** A facility grants the place the pathway waits for. */
export const placeGrantedSignal = defineSignal<[{ facilityId: string }]>('placeGranted');
/**
 * From the worker, when a step's write at once was lost (worker/records-at-once.ts): write the
 * entries behind the durable way now, not when more have gathered. Refused when none are behind.
 */
export const flushRecordsUpdate = defineUpdate<void>('flushRecords');
/** From the record-writing activity: the store has failed a write several times (true) or took it after that (false). */
export const recordsFailingSignal = defineSignal<[{ failing: boolean }]>('recordsFailing');

/** Failure types of a rejected action, for clients to map onto their own errors (HTTP 400/403/409). */
export const RejectionType = {
  invalid: 'PathwayInvalidRequest',
  forbidden: 'PathwayForbidden',
  conflict: 'PathwayConflict',
  stale: 'PathwayStaleVersion',
  /** Unknown, or outside the sender's scope: the two answer alike. */
  notFound: 'PathwayNotFound',
  /** The run is ending (continue-as-new): nothing was done, and the same action succeeds a moment later. */
  busy: 'PathwayRunEnding',
} as const;
export type RejectionType = (typeof RejectionType)[keyof typeof RejectionType];
