import { condition, log, proxyActivities, sleep } from '@temporalio/workflow';
import type { FacilityActivities } from '../activities/facilities';
import type { Effect } from '../machines';
import type { WorkflowFlag } from './messages';
import { callFacility, deliverNotice, givingUp, NOTICE_RETRY_PAUSE, SentKeys, type EffectHost, type Effects, type Notify } from './effects';

/** Retried until they succeed, as facility messages were before effect lanes. */
const facility = proxyActivities<FacilityActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
/** Patch id: histories recorded before facility workflows existed only logged place effects. */
const FACILITY_EFFECTS = 'facility-workflows';

/**
 * Effects as runs recorded before the effect lanes carried them out: one at a time from a
 * single outbox, facility messages retried forever. Kept unchanged so those histories replay;
 * only giving up on notices after closure is new (behind its own patch).
 */
export function legacyOutbox(host: EffectHost, carried: { outbox: readonly Effect[]; sent: readonly string[] }): Effects {
  const outbox: Effect[] = [...carried.outbox];
  const sent = new SentKeys(carried.sent);
  /** Notices whose delivery failed, waiting for the next round of retries. */
  const failing: Notify[] = [];
  let inFlight = 0;

  async function drain() {
    while (outbox.length > 0) {
      inFlight += 1;
      await carryOut(outbox[0]!).finally(() => (inFlight -= 1));
      outbox.shift();
    }
  }

  async function carryOut(effect: Effect) {
    if (effect.type === 'notify') return notify(effect);
    if (!host.patched(FACILITY_EFFECTS)) return;
    return callFacility(facility, effect, host.pathwayId);
  }

  async function notify(effect: Notify) {
    if (sent.has(effect.key)) return;
    try {
      await deliverNotice({ ...effect, pathwayId: host.pathwayId });
    } catch (err) {
      log.warn('notice delivery failing; will retry', { pathwayId: host.pathwayId, kind: effect.kind, error: String(err) });
      failing.push(effect);
      host.changed();
      return;
    }
    sent.add(effect.key);
  }

  async function retryFailing() {
    for (;;) {
      await condition(() => failing.length > 0);
      await sleep(NOTICE_RETRY_PAUSE);
      inFlight += 1;
      for (const effect of failing.splice(0)) await notify(effect);
      inFlight -= 1;
      if (failing.length > 0 && givingUp(host)) for (const n of failing.splice(0)) host.giveUp(n);
      host.changed();
    }
  }

  return {
    push: (effects) => outbox.push(...effects),
    pending: () => [...outbox, ...failing],
    settled: () => outbox.length === 0 && failing.length === 0,
    inFlight: () => inFlight,
    flags: (): WorkflowFlag[] => (failing.length > 0 ? ['notice-failing'] : []),
    sent: () => sent.list(),
    run: async () => {
      void (async () => {
        for (;;) {
          await condition(() => outbox.length > 0);
          await drain();
        }
      })();
      await retryFailing();
    },
  };
}
