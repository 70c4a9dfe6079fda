import { log, proxyActivities, proxyLocalActivities, proxySinks, workflowInfo } from '@temporalio/workflow';
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
import type { Patched } from './patches';
import { inRunsFirstTask, localPause } from './local-first';
import type { RecordSinks } from './record-sinks';
import { behindRange, bySeq, freshEntries, heldTrail, splitCarried } from './records-held';

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
 * The local way (runs from `records-at-once` until `records-behind`): the worker that took the
 * step writes in the step's own workflow task, as a local activity, and the action's answer
 * waits for it. One attempt; on a failure the durable way, and for a minute after it every
 * write goes that way.
 */
const { writeRecords: writeAtOnce } = proxyLocalActivities<RecordActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});
/** The quick way (runs since `records-behind`): handed to the worker as the step's task ends (worker/records-at-once.ts). */
const { records: handOver } = proxySinks<RecordSinks>();
/** Entries per write: notes of 4,000 characters keep one activity's input far under Temporal's 2 MB. */
const BATCH = 100;
/** Entries written only at once before the durable write follows with them ('behind'). */
export const BEHIND = 20;

/**
 * How a step's entries reach the store, by the patches the run started under:
 * - 'activity' (`records-per-step`): each step's write is an activity the server retries;
 * - 'local' (`records-at-once`): each step's write is a local activity in the step's own task,
 *   the activity only if that fails;
 * - 'behind' (`records-behind`): each step hands its write to the worker (a sink: nothing in
 *   history, and the answer does not wait for it), and the activity follows once BEHIND
 *   entries have gathered, with every change of the record (a local activity in the step's
 *   task instead, under `record-at-once`), and with every step once the pathway is done. What
 *   the worker wrote may be lost; the activity's write is certain, and replaces it.
 */
export type RecordsWay = 'activity' | 'local' | 'behind';

/** Patch ids (docs/architecture.md, rule 10): a step's write as a local activity, then handed to the worker. */
const RECORDS_AT_ONCE = 'records-at-once';
const RECORDS_BEHIND = 'records-behind';
/**
 * 'behind': a step that changes the record (a stage, the plan) writes it, with what is behind,
 * as a local activity in its own task, the durable way only if that fails. The durable write
 * cost such a step 6 more history events (its activity, and the task that took its end): a
 * 5-action journey through two handoffs took 12.2 events an action.
 */
const RECORD_AT_ONCE = 'record-at-once';

/** The way of a run of `recordsLane` (under `records-per-step`), by the patches it started under. */
const wayOf = (patched: Patched): RecordsWay => (patched(RECORDS_BEHIND) ? 'behind' : patched(RECORDS_AT_ONCE) ? 'local' : 'activity');

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
  /** 'behind': how many entries only the worker's write at once has taken so far. */
  behind(): number;
  /** 'behind': starts their durable write now (a write at once was lost). */
  flushBehind(): void;
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
  /** The run's patches (workflows/patches.ts): they decide the lane's way. */
  patched: Patched;
}

/**
 * The audit trail and the pathway's record on their way to the record store: each step of the
 * machine starts the write of its own entries (or hands them over, 'behind') in the code that
 * took the step.
 *
 * Why not a loop that starts the next write when the last one ends: an Update that arrives in
 * the same workflow task as that end is applied before it on first execution, but after it on
 * replay (Temporal's core delivers the accepted Update in an activation of its own). A loop
 * then starts its write at a different place among the Update's commands, and the replay fails
 * with a nondeterminism error. Here a write starts only where a step is taken (or where the
 * `flushRecords` Update asks, which replays in its place among the actions), and its end
 * changes state but starts nothing. Writes may overlap: the durable write replaces what is
 * there under the same (pathway, seq), and a record older than the one stored (`asOfSeq`) is
 * not written over it.
 */
export function recordsLane(o: RecordsLaneOptions): RecordsLane {
  const way = wayOf(o.patched);
  const first = o.snapshot();
  // A run from before the lanes holds its whole trail in the context: all of it is still to write.
  const carried = splitCarried(o.carried?.unwritten ?? first.context.audit, way === 'behind' ? o.carried?.behind : undefined);
  const unwritten: AuditEntry[] = carried.unwritten;
  /** Writes under way, by a number of their own: their entries, and whether the record went with them. */
  const writes = new Map<number, { entries: AuditEntry[]; record: boolean }>();
  let nextWrite = 0;
  let history: CaseHistory = o.carried?.history ?? startCaseHistory(first);
  let recordDue = o.carried?.recordDue ?? true;
  let seen = auditCountOf(first.context);
  let on = false;
  let held = false;
  let failing = false;
  /** After a local write failed, steps write the durable way for a while. */
  const pause = localPause();
  /** 'behind': entries handed to the worker (also by the run before), not yet given to the durable write. */
  const behind: AuditEntry[] = carried.behind;
  /**
   * 'behind': this worker has handed over all of `behind`. Not before this run's first step
   * here (after a replay, or with what the run before left behind): the worker that handed
   * them may have died before its write. Only sinks depend on it, never a command.
   */
  let handedAll = false;
  /** 'behind': the record goes at once (patch `record-at-once`), asked where every run starts, so it replays. */
  const recordAtOnce = way === 'behind' && o.patched(RECORD_AT_ONCE);

  function write(entries: AuditEntry[], withRecord: boolean, local: boolean) {
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
    if (!local || pause.on()) return void writeRecords(input).then(done, unfinished);
    // A local activity ends inside the task that started it, so its end, and the choice it
    // makes here, replay in the same place. (`records-failing` comes by signal, which on replay
    // may land on the other side of an Update in the same task: it must not choose.)
    void writeAtOnce(input).then(done, (err: unknown) => {
      pause.failed();
      log.warn('record write at once failed; the server retries it', { pathwayId: o.pathwayId, error: String(err) });
      void writeRecords(input).then(done, unfinished);
    });
  }

  /**
   * Writes `entries` a batch at a time; the record, when due, goes with the last batch so it
   * never runs ahead of its trail. Only a step's write goes at once: what a run starts with goes
   * the durable way (`inRunsFirstTask`).
   */
  function send(entries: AuditEntry[], withRecord: boolean, local = false) {
    for (let i = 0; i < entries.length; i += BATCH) write(entries.slice(i, i + BATCH), withRecord && i + BATCH >= entries.length, local);
    if (entries.length === 0 && withRecord) write([], true, local);
  }

  /** Writes all of `gathered` (the durable way unless `local`), with the record if due (nothing while writing is off or held). */
  function sendAll(gathered: AuditEntry[], local = false) {
    if (!on || held) return;
    const withRecord = recordDue;
    recordDue = false;
    if (gathered.length > 0 || withRecord) send(gathered.splice(0), withRecord, local);
  }
  /** Writes everything gathered so far: at the start of a run, and when writing is enabled. */
  const flush = () => sendAll(unwritten);
  /** 'behind': what the worker has taken, the durable way now. */
  const flushBehind = () => sendAll(behind);

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
    if (way === 'behind') return stepBehind(fresh, after);
    const withRecord = recordDue;
    recordDue = false;
    if (fresh.length > 0 || withRecord) send(fresh, withRecord, way === 'local');
  }

  /**
   * 'behind': what decides when the durable write follows is only what steps change (never a
   * write's end, which may replay on the other side of an Update), so it replays in place.
   */
  function stepBehind(fresh: AuditEntry[], after: PathwaySnapshot) {
    behind.push(...fresh);
    if (recordAtOnce && recordDue && after.status !== 'done' && !inRunsFirstTask()) return sendAll(behind, true);
    if (behind.length >= BEHIND || recordDue || after.status === 'done') return flushBehind();
    // Sinks are not called on replay; this also spares a replaying worker that has none.
    if (workflowInfo().unsafe.isReplaying) return;
    // The first step after a replay hands over what an earlier worker took too: the store keeps
    // one row a (pathway, seq), so what did land is not doubled.
    const entries = handedAll ? fresh : [...behind];
    handedAll = true;
    if (entries.length > 0) handOver.writeAtOnce({ pathwayId: o.pathwayId, entries });
  }

  const underWay = () => [...writes.values()].flatMap((w) => w.entries);

  return {
    step,
    enable: () => {
      on = true;
      flush();
    },
    enabled: () => on,
    settled: () => !on || (unwritten.length === 0 && behind.length === 0 && writes.size === 0 && !recordDue),
    hold: () => void (held = true),
    writing: () => writes.size > 0,
    behind: () => behind.length,
    flushBehind,
    failing: (now) => {
      // No command here: the flag reaches the search attributes with the pathway's next change.
      failing = now;
    },
    flags: () => (failing ? ['records-failing'] : []),
    trail: () => heldTrail(o.snapshot().context.audit, [...unwritten, ...behind, ...underWay()]),
    // What is under way may never finish in this run: it travels too, and is written again.
    carry: () => {
      const range = behindRange(behind);
      return {
        unwritten: [...unwritten, ...behind, ...underWay()].sort(bySeq),
        history,
        recordDue: recordDue || [...writes.values()].some((w) => w.record),
        ...(range ? { behind: range } : {}),
      };
    },
    run: flush,
  };
}
