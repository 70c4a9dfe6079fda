import { condition, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { FacilityActivities } from '../activities/facilities';
import type { Effect } from '../machines';
import type { WorkflowFlag } from './messages';
import {
  callFacility,
  deliverNotice,
  givingUp,
  noticeInTask,
  NOTICE_RETRY_PAUSE,
  SentKeys,
  type EffectHost,
  type Effects,
  type FacilityEffect,
  type Notify,
} from './effects';

/**
 * A facility message gets a few attempts; then its lane flags the facility unreachable and
 * tries again later, so a facility that does not answer holds up nothing but its own lane.
 */
const facility = proxyActivities<FacilityActivities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 4 },
});
/** Pauses between attempts on an unreachable facility: doubling from the first to the last. */
const FACILITY_PAUSE_FIRST_MS = 60_000;
const FACILITY_PAUSE_MAX_MS = 60 * 60_000;

/** Patch id: each notice starts where the step that made it is taken, not in a shared lane. */
const NOTICES_AT_ONCE = 'notices-at-once';
/** Patch id: an action's notice in the action's own task (`noticeInTask`, workflows/effects.ts). */
const NOTICES_IN_TASK = 'notices-in-task';
const NOTICES = 'notices';
/** Notices share a lane (in runs recorded before `notices-at-once`); each facility has its own, in which messages keep their order. */
const laneOf = (e: Effect) => (e.type === 'notify' ? NOTICES : `facility:${e.facilityId}`);

/**
 * Carries out effects in lanes that do not wait for each other. An effect leaves its lane
 * only once carried out, so whatever is pending, even in flight, can travel to the next run
 * and be done again there: notices are deduplicated by key, and a facility takes a repeated
 * message as the same message (machines/facility.ts).
 */
export function effectLanes(host: EffectHost, carried: { outbox: readonly Effect[]; sent: readonly string[] }): Effects {
  // Asked first, where every run starts, so it replays; then `notices-in-task` below.
  const noticesAtOnce = host.patched(NOTICES_AT_ONCE);
  const lanes = new Map<string, Effect[]>();
  /** Notices under way, by key, when each starts at once (below). */
  const delivering = new Map<string, Notify>();
  const draining = new Set<string>();
  const sent = new SentKeys(carried.sent);
  /** Notices whose delivery failed, retried in rounds. */
  const failing: Notify[] = [];
  /** Facilities whose last message failed every attempt. */
  const unreachable = new Set<string>();
  let inFlight = 0;
  /** An action's notice goes out in its own task (asked where every run starts, so it replays). */
  const noticesInTask = noticesAtOnce && host.patched(NOTICES_IN_TASK);
  const deliverInTask = noticeInTask(host.pathwayId);

  function push(effects: readonly Effect[], byAction = false) {
    for (const e of effects) {
      if (e.type === 'notify' && noticesAtOnce) {
        deliverAtOnce(e, byAction && noticesInTask);
        continue;
      }
      const key = laneOf(e);
      const lane = lanes.get(key);
      if (lane) lane.push(e);
      else lanes.set(key, [e]);
    }
  }

  /**
   * A notice starts where the step that made it is taken, not when the one before it ends: an
   * Update arriving with that end is applied before it on first execution but after it on
   * replay, so a notice started there could change places with the Update's commands (the same
   * hazard as the records lane's, workflows/records-lane.ts). A failure still moves it aside.
   */
  function deliverAtOnce(n: Notify, inTask: boolean) {
    if (delivering.has(n.key)) return;
    delivering.set(n.key, n);
    void deliver(n, inTask).then((delivered) => {
      delivering.delete(n.key);
      if (!delivered && !failing.some((f) => f.key === n.key)) {
        failing.push(n);
        host.changed();
      }
    });
  }

  async function attempt(call: () => Promise<unknown>, what: Record<string, unknown>): Promise<boolean> {
    inFlight += 1;
    try {
      await call();
      return true;
    } catch (err) {
      log.warn('effect failing; will retry', { pathwayId: host.pathwayId, ...what, error: String(err) });
      return false;
    } finally {
      inFlight -= 1;
    }
  }

  /** Delivers a notice once by its key (first in the task at hand when `inTask`); true once it is delivered. */
  async function deliver(n: Notify, inTask = false): Promise<boolean> {
    if (sent.has(n.key)) return true;
    const input = { ...n, pathwayId: host.pathwayId };
    if (!(await attempt(() => (inTask ? deliverInTask(input) : deliverNotice(input)), { kind: n.kind }))) return false;
    sent.add(n.key);
    return true;
  }

  push(carried.outbox);

  /** A notice that fails moves aside to the rounds, so the lane goes on. */
  async function drainNotices(lane: Effect[]) {
    while (lane.length > 0) {
      const n = lane[0] as Notify;
      if (!(await deliver(n)) && !failing.some((f) => f.key === n.key)) {
        failing.push(n);
        host.changed();
      }
      lane.shift();
    }
  }

  /** A facility message stays first in its lane until the facility takes it. */
  async function drainFacility(facilityId: string, lane: Effect[]) {
    let pause = FACILITY_PAUSE_FIRST_MS;
    while (lane.length > 0) {
      const e = lane[0] as FacilityEffect;
      if (await attempt(() => callFacility(facility, e, host.pathwayId), { type: e.type, facilityId })) {
        lane.shift();
        pause = FACILITY_PAUSE_FIRST_MS;
        if (unreachable.delete(facilityId)) host.changed();
        continue;
      }
      if (!unreachable.has(facilityId)) {
        unreachable.add(facilityId);
        host.changed();
      }
      await sleep(pause);
      pause = Math.min(pause * 2, FACILITY_PAUSE_MAX_MS);
    }
  }

  /** Starts a drain for every lane with work and none running. */
  async function dispatch() {
    const idle = () => [...lanes].filter(([key, lane]) => lane.length > 0 && !draining.has(key));
    for (;;) {
      await condition(() => idle().length > 0);
      for (const [key, lane] of idle()) {
        draining.add(key);
        const drained = key === NOTICES ? drainNotices(lane) : drainFacility(key.slice('facility:'.length), lane);
        void drained.finally(() => draining.delete(key));
      }
    }
  }

  /** Retries failing notices every so often, while the pathway carries the flag `notice-failing`. */
  async function retryFailing() {
    for (;;) {
      await condition(() => failing.length > 0);
      await sleep(NOTICE_RETRY_PAUSE);
      for (const n of [...failing]) if (await deliver(n)) failing.splice(failing.indexOf(n), 1);
      if (failing.length > 0 && givingUp(host)) for (const n of failing.splice(0)) host.giveUp(n);
      host.changed();
    }
  }

  return {
    push,
    pending: () => [...[...lanes.values()].flat(), ...delivering.values(), ...failing],
    settled: () => failing.length === 0 && delivering.size === 0 && [...lanes.values()].every((l) => l.length === 0),
    inFlight: () => inFlight,
    flags: () => {
      const raised: WorkflowFlag[] = [];
      if (failing.length > 0) raised.push('notice-failing');
      if (unreachable.size > 0) raised.push('facility-unreachable');
      return raised;
    },
    sent: () => sent.list(),
    run: async () => {
      void dispatch();
      await retryFailing();
    },
  };
}
