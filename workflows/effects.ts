import { log, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { FacilityActivities } from '../activities/facilities';
import type { NoticeActivities } from '../activities/notices';
import { HOUR, type Effect } from '../machines';
import { inRunsFirstTask, localPause } from './local-first';
import type { WorkflowFlag } from './messages';
import type { Patched } from './patches';

/**
 * What the pathway workflow needs from whoever carries out its effects, whichever way they
 * do it: the effect lanes (effect-lanes.ts) or, in runs recorded before them, the single
 * outbox (legacy-outbox.ts).
 */

export type Notify = Extract<Effect, { type: 'notify' }>;
export type FacilityEffect = Exclude<Effect, Notify>;

export const { deliverNotice } = proxyActivities<NoticeActivities>({
  startToCloseTimeout: '1 minute',
  // A few quick retries cover a hiccup; a longer outage is flagged and retried in rounds.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
});

/**
 * An action's notice in the action's own task (runs since `notices-in-task`): a local activity,
 * so the action is answered once the receiving team is told, and the notice costs 1 history
 * event where the activity and the task that takes its end cost 6 (a journey through two
 * handoffs sends two). One attempt; on a failure the activity, and for a minute after it every
 * notice goes that way, so an SMTP outage holds no action up for long. A deadline's notice,
 * with no one waiting, stays the activity the failure drills prove (test/faults).
 */
const { deliverNotice: deliverLocally } = proxyLocalActivities<NoticeActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { maximumAttempts: 1 },
});

/**
 * Delivers a notice in the task at hand, the durable way if that fails (workflows/local-first.ts).
 * A local activity ends inside the task that started it, so its end, and the choice made on it,
 * replay in the same place.
 */
export function noticeInTask(pathwayId: string) {
  const pause = localPause();
  return async (input: Parameters<typeof deliverNotice>[0]) => {
    if (pause.on() || inRunsFirstTask()) return deliverNotice(input);
    try {
      return await deliverLocally(input);
    } catch (err) {
      pause.failed();
      log.warn('notice in its task failed; the server retries it', { pathwayId, kind: input.kind, error: String(err) });
      return deliverNotice(input);
    }
  };
}

/** Pause between rounds of delivery attempts while notices fail. */
export const NOTICE_RETRY_PAUSE = '15 minutes';
/** How long after closure failing notices still get rounds; then they are recorded as undeliverable. */
export const NOTICE_GRACE_AFTER_CLOSURE = HOUR;
/** How many notice keys to remember across runs. */
const REMEMBERED_NOTICES = 500;
/** Patch id: a closed pathway gives up on failing notices and completes (docs/architecture.md, rule 10). */
const UNDELIVERABLE_AFTER_CLOSURE = 'undeliverable-after-closure';

/** The workflow's side of carrying out effects. */
export interface EffectHost {
  pathwayId: string;
  /** When the pathway closed; null while it is open. */
  closedAt(): number | null;
  /** Records a notice given up on after closure. */
  giveUp(notice: Notify): void;
  /** The run's patches (workflows/patches.ts). */
  patched: Patched;
  /** A workflow flag may have changed. */
  changed(): void;
}

/** Effects waiting to be carried out, as the pathway workflow sees them. */
export interface Effects {
  /** `byAction`: a person's action made them, and waits for its answer (see `notices-in-task`). */
  push(effects: readonly Effect[], byAction?: boolean): void;
  /** Everything not yet carried out, in an order the next run can carry on from. */
  pending(): Effect[];
  /** Nothing left to carry out. */
  settled(): boolean;
  /** Activities running right now. */
  inFlight(): number;
  flags(): WorkflowFlag[];
  /** Keys of notices delivered, for the next run. */
  sent(): string[];
  /** The background loops; never returns. */
  run(): Promise<void>;
}

/** Keys of delivered notices, the oldest forgotten first. */
export class SentKeys {
  private readonly keys: Set<string>;
  constructor(keys: readonly string[] = []) {
    this.keys = new Set(keys);
  }
  has(key: string) {
    return this.keys.has(key);
  }
  add(key: string) {
    this.keys.add(key);
    if (this.keys.size > REMEMBERED_NOTICES) this.keys.delete(this.keys.values().next().value!);
  }
  list() {
    return [...this.keys];
  }
}

/** Sends one message to a facility's workflow, through `api` (an activity proxy). */
export function callFacility(api: FacilityActivities, effect: FacilityEffect, pathwayId: string): Promise<void> {
  const target = { facilityId: effect.facilityId, pathwayId };
  switch (effect.type) {
    case 'place.request':
      const { priority, lostPlaceAt } = effect;
      return api.requestPlace({ ...target, ...(priority ? { priority } : {}), ...(lostPlaceAt !== undefined ? { lostPlaceAt } : {}) });
    case 'place.cancel':
      return api.cancelPlaceRequest(target);
    case 'place.release':
      return api.releasePlace(target);
    case 'place.update':
      return api.reportStayEnd({ ...target, endsAt: effect.endsAt, ...(effect.paused ? { paused: effect.paused } : {}) });
  }
}

/**
 * Whether notices still failing after this round are given up on: the pathway closed long
 * enough ago. The patch is asked last, so a closed pathway stuck on older code takes the
 * new way from its next round on.
 */
export function givingUp(host: EffectHost): boolean {
  const closedAt = host.closedAt();
  return closedAt !== null && Date.now() >= closedAt + NOTICE_GRACE_AFTER_CLOSURE && host.patched(UNDELIVERABLE_AFTER_CLOSURE);
}
