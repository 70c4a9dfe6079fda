import { patched as markOrRead } from '@temporalio/workflow';

/**
 * Every patch of the pathway workflow when runs began asking `THROUGH_V8` instead (histories
 * v9 on). Each marks the histories recorded after a change of behaviour (docs/architecture.md,
 * rule 10); its comment is where it is asked.
 */
const THROUGH_V8 = [
  'working-day-reminders',
  'four-eyes',
  'yearly-review',
  'facility-workflows',
  'deadline-from-timer',
  'effect-lanes',
  'one-judge',
  'audit-to-records',
  'records-per-step',
  'notices-at-once',
  'records-at-once',
  'records-behind',
  'record-at-once',
  'notices-in-task',
  'undeliverable-after-closure',
  'handoff-visibility',
  'deadline-kind-visibility',
  'peer-visibility',
  'late-stay-reminders',
  'stay-pause-reported',
] as const;
/** Patches added since: each asked on its own, as before. */
const LATER = ['runs-of-1200-events'] as const;

export type PatchId = (typeof THROUGH_V8)[number] | (typeof LATER)[number];
/** Whether the run's history was recorded with a patch's behaviour (the SDK's `patched`, for one run). */
export type Patched = (id: PatchId) => boolean;

/** The marker of runs recorded with every patch in THROUGH_V8. */
const ALL_THROUGH_V8 = 'patches-through-v8';

/**
 * The patches of one run; called first in the run, in its first task. Each patch asked on its own
 * costs a marker and the SDK's `TemporalChangeVersion` upsert: a run started with 13 of them,
 * 26 history events in its first task, which made the action that met a new run slow. A run
 * started since asks one marker for them all. A run recorded before has no such marker in its
 * first task, so the question is false in it for good, and it asks each patch as it did.
 */
export function runPatches(): Patched {
  const throughV8 = markOrRead(ALL_THROUGH_V8);
  const folded: ReadonlySet<PatchId> = new Set(throughV8 ? THROUGH_V8 : []);
  return (id) => folded.has(id) || markOrRead(id);
}
