import { log, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { RecordActivities } from '../activities/records';
import {
  auditCountOf,
  caseRecordOf,
  nextCaseHistory,
  planChanged,
  stageChanged,
  startCaseHistory,
  type AuditEntry,
  type CaseHistory,
  type Effect,
  type PathwayEvent,
  type PathwaySnapshot,
} from '../machines';
import type { CarriedRecords, WorkflowFlag } from './messages';

/**
 * The durable way: the server retries a write for as long as the store is down, so nothing a
 * pathway did is lost, and its end starts nothing. After a few attempts the activity tells the
 * workflow (`records-failing`, activities/records.ts).
 */
const { writeRecords } = proxyActivities<RecordActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
/**
 * The quick way (runs since `records-at-once`): the worker that took the step writes at once,
 * as a local activity. The action's answer waits the millisecond or two the store takes, and
 * the write costs a marker in history instead of an activity and a workflow task for its end,
 * which the next action had to wait behind. One attempt, well inside a workflow task's ten
 * seconds; on a failure the durable way, and for a minute after it every write goes that way.
 */
const { writeRecords: writeAtOnce } = proxyLocalActivities<RecordActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});
const AT_ONCE_PAUSE_MS = 60_000;
/** Entries per write: notes of 4,000 characters keep one activity's input far under Temporal's 2 MB. */
const BATCH = 100;

export interface RecordsLane {
  /** Takes in one step of the machine: its new audit entries and what it changed in the record. */
  step(before: PathwaySnapshot, event: PathwayEvent, after: PathwaySnapshot, effects: readonly Effect[]): void;
  /** Starts writing (once `patched('audit-to-records')` holds); until then entries only gather. */
  enable(): void;
  enabled(): boolean;
  /** Everything written (or writing not yet enabled: runs recorded before it end as they did). */
  settled(): boolean;
  /** Starts no further write (the run is ending): what is unwritten travels with the run. */
  hold(): void;
  /** A write is under way. */
  writing(): boolean;
  /** What the record-writing activity says of the store. */
  failing(failing: boolean): void;
  flags(): WorkflowFlag[];
  /** The newest entries held (the tail and anything not yet written), oldest first. */
  trail(): AuditEntry[];
  carry(): CarriedRecords;
  /** Writes what the run was handed (runs of the old lane loop until the run ends). */
  run(): void;
}

export interface RecordsLaneOptions {
  pathwayId: string;
  snapshot: () => PathwaySnapshot;
  changed: () => void;
  carried?: CarriedRecords;
  /** Writes a step's entries in the worker first (a local activity), the server's way only if that fails. */
  atOnce?: boolean;
}

const bySeq = (a: AuditEntry, b: AuditEntry) => a.seq - b.seq;

/** The audit entries a step added after the first `seen`; a gap means entries left the tail untaken. */
export function freshEntries(pathwayId: string, seen: number, after: PathwaySnapshot): AuditEntry[] {
  const fresh = after.context.audit.filter((e) => e.seq > seen);
  if (fresh.length > 0 && fresh[0]!.seq !== seen + 1) {
    log.error('audit entries fell out of the tail before they were taken', { pathwayId, from: seen + 1, to: fresh[0]!.seq - 1 });
  }
  return fresh;
}

/** The trail a run can show: entries it still holds that are older than its tail, then the tail. */
export function heldTrail(tail: readonly AuditEntry[], held: readonly AuditEntry[]): AuditEntry[] {
  const older = held.filter((e) => e.seq < (tail[0]?.seq ?? Infinity)).sort(bySeq);
  return [...older, ...tail];
}

/**
 * The audit trail and the pathway's record on their way to the record store: each step of the
 * machine starts the write of its own entries at once, in the code that took the step.
 *
 * Why not a loop that starts the next write when the last one ends: an Update that arrives in
 * the same workflow task as that end is applied before it on first execution, but after it on
 * replay (Temporal's core delivers the accepted Update in an activation of its own). A loop
 * then starts its write at a different place among the Update's commands, and the replay fails
 * with a nondeterminism error. Here a write starts only where a step is taken, and its end
 * changes state but starts nothing. Writes may overlap: the store ignores a repeated
 * (pathway, seq), and the record is only written with a stage change, the entries before it.
 */
export function recordsLane(o: RecordsLaneOptions): RecordsLane {
  const first = o.snapshot();
  // A run from before the lanes holds its whole trail in the context: all of it is still to write.
  const unwritten: AuditEntry[] = o.carried ? [...o.carried.unwritten] : [...first.context.audit];
  /** Writes under way, by a number of their own: their entries, and whether the record went with them. */
  const writes = new Map<number, { entries: AuditEntry[]; record: boolean }>();
  let nextWrite = 0;
  let history: CaseHistory = o.carried?.history ?? startCaseHistory(first);
  let recordDue = o.carried?.recordDue ?? true;
  let seen = auditCountOf(first.context);
  let on = false;
  let held = false;
  let failing = false;
  /** Workflow time before which steps write the durable way only (a write at once failed). */
  let atOnceAgainAt = 0;

  function write(entries: AuditEntry[], withRecord: boolean, atOnce: boolean) {
    const id = nextWrite++;
    writes.set(id, { entries, record: withRecord });
    const input = { pathwayId: o.pathwayId, entries, ...(withRecord ? { record: caseRecordOf(o.snapshot(), history) } : {}) };
    const done = () => void writes.delete(id);
    const unfinished = (err: unknown) => {
      // Only when the run ends under it (the server retries failures): the next run writes them again.
      writes.delete(id);
      unwritten.push(...entries);
      unwritten.sort(bySeq);
      if (withRecord) recordDue = true;
      log.warn('record write ended unfinished; the entries travel with the run', { pathwayId: o.pathwayId, entries: entries.length, error: String(err) });
    };
    // For a while after one failed, a write at once would only hold the next actions up.
    if (!atOnce || Date.now() < atOnceAgainAt) return void writeRecords(input).then(done, unfinished);
    // A local activity ends inside the task that started it, so its end, and the choice it
    // makes here, replay in the same place. (`records-failing` comes by signal, which on replay
    // may land on the other side of an Update in the same task: it must not choose.)
    void writeAtOnce(input).then(done, (err: unknown) => {
      atOnceAgainAt = Date.now() + AT_ONCE_PAUSE_MS;
      log.warn('record write at once failed; the server retries it', { pathwayId: o.pathwayId, error: String(err) });
      void writeRecords(input).then(done, unfinished);
    });
  }

  /**
   * Writes `entries` a batch at a time; the record, when due, goes with the last batch so it
   * never runs ahead of its trail. Only a step's write goes at once: a local activity in a run's
   * first task made the server keep the next refused action's task in history (measured on the
   * dev server, test/integration/visibility.test.ts), so what a run starts with goes the durable way.
   */
  function send(entries: AuditEntry[], withRecord: boolean, atOnce = false) {
    for (let i = 0; i < entries.length; i += BATCH) write(entries.slice(i, i + BATCH), withRecord && i + BATCH >= entries.length, atOnce);
    if (entries.length === 0 && withRecord) write([], true, atOnce);
  }

  /** Writes everything gathered so far: at the start of a run, and when writing is enabled. */
  function flush() {
    if (!on || held) return;
    const entries = unwritten.splice(0);
    const withRecord = recordDue;
    recordDue = false;
    if (entries.length > 0 || withRecord) send(entries, withRecord);
  }

  function step(before: PathwaySnapshot, event: PathwayEvent, after: PathwaySnapshot, effects: readonly Effect[]) {
    const fresh = freshEntries(o.pathwayId, seen, after);
    seen = auditCountOf(after.context);
    const was = history;
    history = nextCaseHistory(history, before, event, after, effects);
    if (stageChanged(before, after) || planChanged(was, history)) recordDue = true;
    if (!on || held) {
      unwritten.push(...fresh);
      return;
    }
    const withRecord = recordDue;
    recordDue = false;
    if (fresh.length > 0 || withRecord) send(fresh, withRecord, o.atOnce);
  }

  const underWay = () => [...writes.values()].flatMap((w) => w.entries);

  return {
    step,
    enable: () => {
      on = true;
      flush();
    },
    enabled: () => on,
    settled: () => !on || (unwritten.length === 0 && writes.size === 0 && !recordDue),
    hold: () => void (held = true),
    writing: () => writes.size > 0,
    failing: (now) => {
      // No command here: the flag reaches the search attributes with the pathway's next change.
      failing = now;
    },
    flags: () => (failing ? ['records-failing'] : []),
    trail: () => heldTrail(o.snapshot().context.audit, [...unwritten, ...underWay()]),
    // What is under way may never finish in this run: it travels too, and is written again.
    carry: () => ({
      unwritten: [...unwritten, ...underWay()].sort(bySeq),
      history,
      recordDue: recordDue || [...writes.values()].some((w) => w.record),
    }),
    run: flush,
  };
}
