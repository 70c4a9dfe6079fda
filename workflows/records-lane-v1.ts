import { condition, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { RecordActivities } from '../activities/records';
import {
  auditCountOf,
  caseRecordOf,
  nextCaseHistory,
  stageChanged,
  startCaseHistory,
  type AuditEntry,
  type CaseHistory,
  type Effect,
  type PathwayEvent,
  type PathwaySnapshot,
} from '../machines';
import { freshEntries, heldTrail } from './records-held';
import type { RecordsLane, RecordsLaneOptions } from './records-lane';

/**
 * A few quick attempts; then the lane raises `records-failing` and tries again later, for as
 * long as it takes: nothing a pathway did may be lost, and nothing else waits for the store.
 */
const { writeRecords } = proxyActivities<RecordActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
});
/** Entries per write: notes of 4,000 characters keep one activity's input far under Temporal's 2 MB. */
const BATCH = 100;
const PAUSE_FIRST_MS = 10_000;
const PAUSE_MAX_MS = 60 * 60_000;


/**
 * The records lane as runs recorded before `records-per-step` had it: one write loop, whose
 * next write a finished one starts. An Update arriving with that finish in one workflow task
 * is applied before it on first execution but after it on replay, so the loop's write and the
 * Update's timer moves can swap places: a nondeterminism error (workflows/records-lane.ts).
 * Kept only so those histories replay as they ran.
 *
 * An entry leaves `unwritten` only once written, so an entry in flight when the run ends
 * travels to the next run and is written again there (the store ignores a repeated (pathway, seq)).
 */
export function recordsLaneV1(o: RecordsLaneOptions): RecordsLane {
  const first = o.snapshot();
  // A run from before the lane holds its whole trail in the context: all of it is still to write.
  const unwritten: AuditEntry[] = o.carried ? [...o.carried.unwritten] : [...first.context.audit];
  let history: CaseHistory = o.carried?.history ?? startCaseHistory(first);
  let recordDue = o.carried?.recordDue ?? true;
  let seen = auditCountOf(first.context);
  let on = false;
  let failing = false;

  function step(before: PathwaySnapshot, event: PathwayEvent, after: PathwaySnapshot, effects: readonly Effect[]) {
    unwritten.push(...freshEntries(o.pathwayId, seen, after));
    seen = auditCountOf(after.context);
    history = nextCaseHistory(history, before, event, after, effects);
    if (stageChanged(before, after)) recordDue = true;
  }

  async function run() {
    let pause = PAUSE_FIRST_MS;
    for (;;) {
      await condition(() => on && (unwritten.length > 0 || recordDue));
      const entries = unwritten.slice(0, BATCH);
      // The record goes with the last batch, so it never runs ahead of its trail.
      const withRecord = recordDue && unwritten.length <= BATCH;
      if (withRecord) recordDue = false;
      try {
        await writeRecords({ pathwayId: o.pathwayId, entries, ...(withRecord ? { record: caseRecordOf(o.snapshot(), history) } : {}) });
        unwritten.splice(0, entries.length);
        pause = PAUSE_FIRST_MS;
        if (failing) {
          failing = false;
          o.changed();
        }
      } catch (err) {
        if (withRecord) recordDue = true;
        log.warn('record store failing; will retry', { pathwayId: o.pathwayId, entries: entries.length, error: String(err) });
        if (!failing) {
          failing = true;
          o.changed();
        }
        await sleep(pause);
        pause = Math.min(pause * 2, PAUSE_MAX_MS);
      }
    }
  }

  return {
    step,
    enable: () => void (on = true),
    enabled: () => on,
    settled: () => !on || (unwritten.length === 0 && !recordDue),
    // Runs of this lane ended without waiting for the write in flight.
    hold: () => {},
    writing: () => false,
    // Its loop writes everything it holds: nothing waits behind.
    behind: () => 0,
    flushBehind: () => {},
    failing: () => {},
    flags: () => (failing ? ['records-failing'] : []),
    trail: () => heldTrail(o.snapshot().context.audit, unwritten),
    carry: () => ({ unwritten: [...unwritten], history, recordDue }),
    run: () => void run(),
  };
}
