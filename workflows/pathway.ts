import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  sleep,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { FacilityActivities } from '../activities/facilities';
import type { NoticeActivities } from '../activities/notices';
import {
  check,
  describeIssues,
  flags,
  nextDeadline,
  persist,
  PolicySchema,
  restore,
  startPathway,
  step,
  SYSTEM,
  viewOf,
  whereOf,
  type Effect,
  type PathwayEvent,
  type PathwaySnapshot,
  type Policy,
  type Refusal,
} from '../machines';
import {
  actUpdate,
  ActRequestSchema,
  auditQuery,
  defaultRunLimits,
  openUpdate,
  placeGrantedSignal,
  RejectionType,
  viewQuery,
  type PathwayOutcome,
  type PathwayWorkflowInput,
} from './messages';
import * as SA from './search-attributes';

const { deliverNotice } = proxyActivities<NoticeActivities>({
  startToCloseTimeout: '1 minute',
  // A few quick retries cover a hiccup; a longer outage is flagged and retried below, forever.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 5 },
});
const facility = proxyActivities<FacilityActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** How many request ids and notice keys to remember across runs. */
const REMEMBERED_REQUESTS = 1_000;
const REMEMBERED_NOTICES = 500;
/** Pause between rounds of delivery attempts while notices fail. */
const NOTICE_RETRY_PAUSE = '15 minutes';
/** Patch ids: each marks histories recorded after a change of behaviour (ARCHITECTURE rule 10). */
const WORKING_DAY_REMINDERS = 'working-day-reminders';
const FACILITY_EFFECTS = 'facility-workflows';
const DEADLINE_FROM_TIMER = 'deadline-from-timer';

type Notify = Extract<Effect, { type: 'notify' }>;

/**
 * One citizen's pathway. The machine decides; this function only feeds it events (Updates,
 * signals, the passing of time), carries out the effects it emits, and keeps visibility current.
 */
export async function pathwayWorkflow(input: PathwayWorkflowInput): Promise<PathwayOutcome> {
  const limits = { ...defaultRunLimits, ...input.limits };
  let snapshot: PathwaySnapshot;
  const applied = new Map<string, number>();
  const outbox: Effect[] = [];
  const sent = new Set<string>();
  /** Notices whose delivery failed, waiting for the next round of retries. */
  const failing: Notify[] = [];
  let updatesThisRun = 0;
  /** The search attributes last upserted, so unchanged ones cost no history event. */
  let published = '';

  if ('start' in input) {
    const { policy: asked, ...start } = input.start;
    const parsedPolicy = PolicySchema.safeParse(asked ?? {});
    if (!parsedPolicy.success) {
      throw ApplicationFailure.nonRetryable(`invalid policy: ${describeIssues(parsedPolicy.error)}`, RejectionType.invalid);
    }
    const { calendar, ...rules } = parsedPolicy.data;
    // Pathways started before the calendar existed keep unmoved reminders (their timers are in history).
    const policy: Policy = patched(WORKING_DAY_REMINDERS) ? { ...rules, calendar } : rules;
    const started = startPathway({ ...start, policy, at: Date.now() });
    snapshot = started.snapshot;
    outbox.push(...started.effects);
  } else {
    snapshot = restore(input.carried.pathway);
    for (const [id, version] of input.carried.applied) applied.set(id, version);
    outbox.push(...input.carried.outbox);
    for (const key of input.carried.sent ?? []) sent.add(key);
  }
  const pathwayId = snapshot.context.pathwayId;

  /** Feeds one event to the machine; the caller has checked it. */
  function apply(event: PathwayEvent) {
    const next = step(snapshot, event);
    snapshot = next.snapshot;
    // Effects of behaviour added later happen only in histories recorded with it.
    outbox.push(...next.effects.filter((e) => e.patch === undefined || patched(e.patch)));
  }

  /** Lets the machine see the time (at least `atLeast`) before anything else happens, so no deadline is skipped. */
  function passTime(atLeast = 0) {
    const now = Math.max(Date.now(), atLeast);
    if (now > snapshot.context.now) apply({ type: 'clock.tick', by: SYSTEM, at: now });
  }

  // `details` carries the refusal as data ({ key, params }) for clients to translate.
  const reject = (type: string, message: string, why?: Refusal['why']) =>
    ApplicationFailure.create({ type, message, nonRetryable: true, ...(why ? { details: [why] } : {}) });

  // Everything a handler touches is declared above: an action sent before the first workflow task
  // ran is delivered inside setHandler below, before the rest of this function has run.
  setHandler(viewQuery, (actor, at) => viewOf(snapshot, actor, at));
  setHandler(auditQuery, () => snapshot.context.audit);
  setHandler(openUpdate, (actor) => viewOf(snapshot, actor));

  setHandler(
    actUpdate,
    (request) => {
      if (applied.has(request.requestId)) return viewOf(snapshot, request.actor);
      passTime();
      const event: PathwayEvent = { ...request.command, by: request.actor, at: Date.now() };
      const refusal = check(snapshot, event);
      // The validator checked the same thing an instant ago; this guards the impossible.
      if (refusal) throw reject(RejectionType[refusal.code], refusal.reason, refusal.why);
      apply(event);
      updatesThisRun += 1;
      applied.set(request.requestId, snapshot.context.version);
      if (applied.size > REMEMBERED_REQUESTS) applied.delete(applied.keys().next().value!);
      publish();
      return viewOf(snapshot, request.actor);
    },
    {
      // Validators reject before anything is written to history: a refused action leaves no trace.
      validator: (raw) => {
        const parsed = ActRequestSchema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          throw reject(RejectionType.invalid, `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'malformed'}`);
        }
        const request = parsed.data;
        if (applied.has(request.requestId)) return; // a retry of an applied action: answer, do not apply again
        // Judge the pathway as of now, as the handler will (a deadline may have just passed).
        const now = Math.max(Date.now(), snapshot.context.now);
        const current = now > snapshot.context.now ? step(snapshot, { type: 'clock.tick', by: SYSTEM, at: now }).snapshot : snapshot;
        const version = current.context.version;
        if (request.expectedVersion !== version) {
          throw reject(RejectionType.stale, `the pathway has changed (version ${version}, you saw ${request.expectedVersion}): reload and try again`);
        }
        const refusal = check(current, { ...request.command, by: request.actor, at: now });
        if (refusal) throw reject(RejectionType[refusal.code], refusal.reason, refusal.why);
      },
    },
  );

  setHandler(placeGrantedSignal, ({ facilityId }) => {
    passTime();
    const event: PathwayEvent = { type: 'place.grant', facilityId, by: SYSTEM, at: Date.now() };
    const refusal = check(snapshot, event);
    if (refusal) {
      // Closed or moved on meanwhile: hand the place straight back, so it is not left empty.
      log.warn('place grant refused', { pathwayId, facilityId, reason: refusal.reason });
      if (patched(FACILITY_EFFECTS)) outbox.push({ type: 'place.release', facilityId });
      return;
    }
    apply(event);
    publish();
  });

  // --- visibility -----------------------------------------------------------------------
  /** Upserts the search attributes when they changed. */
  function publish() {
    const c = snapshot.context;
    const stage = whereOf(snapshot.value).stage;
    const next = nextDeadline(stage, c);
    const pairs: SearchAttributeUpdatePair[] = [
      { key: SA.PathwayStage, value: stage },
      { key: SA.PathwayStageEnteredAt, value: new Date(c.stageEnteredAt) },
      { key: SA.PathwayTeam, value: c.responsibleTeam },
      { key: SA.PathwayCoordinator, value: c.coordinator },
      { key: SA.PathwayNextDeadline, value: next ? new Date(next.at) : null },
      { key: SA.PathwayFlags, value: failing.length > 0 ? [...flags(stage, c), 'notice-failing'] : flags(stage, c) },
      { key: SA.PathwayFacility, value: stage === 'waiting' || stage === 'stay' ? c.facilityId : null },
    ];
    const fingerprint = JSON.stringify(pairs.map((p) => p.value));
    if (fingerprint === published) return;
    published = fingerprint;
    upsertSearchAttributes(pairs);
  }

  // --- effects ----------------------------------------------------------------------------
  /** Effects being carried out right now, by the drain or the notice retries. */
  let inFlight = 0;
  /** Carries out effects one at a time, removing each only once done, so none is lost. */
  async function drainOutbox() {
    while (outbox.length > 0) {
      inFlight += 1;
      await carryOut(outbox[0]!).finally(() => (inFlight -= 1));
      outbox.shift();
    }
  }

  async function carryOut(effect: Effect) {
    switch (effect.type) {
      case 'notify':
        return notify(effect);
      case 'place.request':
      case 'place.cancel':
      case 'place.release':
      case 'place.update': {
        // Histories recorded before facility workflows existed only logged these.
        if (!patched(FACILITY_EFFECTS)) return;
        const target = { facilityId: effect.facilityId, pathwayId };
        if (effect.type === 'place.request') {
          const { priority, lostPlaceAt } = effect;
          return facility.requestPlace({ ...target, ...(priority ? { priority } : {}), ...(lostPlaceAt !== undefined ? { lostPlaceAt } : {}) });
        }
        if (effect.type === 'place.cancel') return facility.cancelPlaceRequest(target);
        if (effect.type === 'place.release') return facility.releasePlace(target);
        return facility.reportStayEnd({ ...target, endsAt: effect.endsAt, ...(effect.paused ? { paused: effect.paused } : {}) });
      }
    }
  }

  /**
   * Delivers a notice exactly once by its key. A notice that keeps failing moves aside to be
   * retried on its own, so it never holds up the effects behind it (a place release, say).
   */
  async function notify(effect: Notify) {
    if (sent.has(effect.key)) return;
    try {
      await deliverNotice({ ...effect, pathwayId });
    } catch (err) {
      log.warn('notice delivery failing; will retry', { pathwayId, kind: effect.kind, error: String(err) });
      failing.push(effect);
      publish();
      return;
    }
    sent.add(effect.key);
    if (sent.size > REMEMBERED_NOTICES) sent.delete(sent.values().next().value!);
  }

  /** Retries failing notices every so often, while the pathway carries the flag `notice-failing`. */
  async function retryFailing() {
    for (;;) {
      await condition(() => failing.length > 0);
      await sleep(NOTICE_RETRY_PAUSE);
      inFlight += 1;
      for (const effect of failing.splice(0)) await notify(effect);
      inFlight -= 1;
      publish();
    }
  }

  const runIsFull = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= limits.maxHistoryEvents || updatesThisRun >= limits.maxUpdates;
  };

  // --- main loop: sleep until the next deadline, or until something changes ------------------
  publish();
  void (async () => {
    for (;;) {
      await condition(() => outbox.length > 0);
      await drainOutbox();
    }
  })();
  void retryFailing();

  while (snapshot.status !== 'done' && !runIsFull()) {
    const stage = whereOf(snapshot.value).stage;
    const armedFor = nextDeadline(stage, snapshot.context)?.at;
    const stillArmed = () => nextDeadline(whereOf(snapshot.value).stage, snapshot.context)?.at === armedFor;
    const wait = armedFor === undefined ? undefined : armedFor - Date.now();
    const changed = wait !== undefined && wait <= 0 ? false : await condition(() => !stillArmed() || snapshot.status === 'done' || runIsFull(), wait);
    if (!changed) {
      // A fired timer proves its deadline has passed, whatever the clock says. The SDK can run this
      // with the time of the previous task: a worker answering a query while the task waits on a
      // dead worker's sticky queue applies the timer early and keeps the commands; a replay then sees
      // the real time, so a clock-based decision broke the history (test/faults/timer-while-worker-dead.test.ts).
      passTime(armedFor !== undefined && patched(DEADLINE_FROM_TIMER) ? armedFor : undefined);
      publish();
    }
  }

  // Let running handlers and the effect in flight finish, so nothing is cut in half.
  await condition(() => allHandlersFinished() && inFlight === 0 && (snapshot.status !== 'done' || (outbox.length === 0 && failing.length === 0)));

  if (snapshot.status !== 'done') {
    await continueAsNew<typeof pathwayWorkflow>({
      // Failing notices travel as ordinary effects: the next run tries them first.
      carried: { pathway: persist(snapshot), applied: [...applied], outbox: [...outbox, ...failing], sent: [...sent] },
      limits: input.limits,
    });
  }
  const closure = snapshot.context.closure!;
  return { pathwayId, reason: closure.reason, closedAt: closure.at };
}
