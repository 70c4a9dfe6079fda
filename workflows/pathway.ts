import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import type { NoticeActivities } from '../activities/notices';
import {
  check,
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
} from '../machines';
import {
  actUpdate,
  ActRequestSchema,
  auditQuery,
  defaultRunLimits,
  placeGrantedSignal,
  RejectionType,
  viewQuery,
  type PathwayOutcome,
  type PathwayWorkflowInput,
} from './messages';
import * as SA from './search-attributes';

const { deliverNotice } = proxyActivities<NoticeActivities>({
  startToCloseTimeout: '1 minute',
  // Mail servers go down; keep trying with backoff rather than lose a reminder.
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/** How many request ids to remember across runs; a retried click comes within minutes, not months. */
const REMEMBERED_REQUESTS = 1_000;

/**
 * One citizen's pathway. The machine decides; this function only feeds it events (Updates,
 * signals, the passing of time), carries out the effects it emits, and keeps visibility current.
 */
export async function pathwayWorkflow(input: PathwayWorkflowInput): Promise<PathwayOutcome> {
  const limits = { ...defaultRunLimits, ...input.limits };
  let snapshot: PathwaySnapshot;
  const applied = new Map<string, number>();
  const outbox: Effect[] = [];
  let updatesThisRun = 0;

  if ('start' in input) {
    const { policy, ...start } = input.start;
    const started = startPathway({ ...start, policy: PolicySchema.parse(policy ?? {}), at: Date.now() });
    snapshot = started.snapshot;
    outbox.push(...started.effects);
  } else {
    snapshot = restore(input.carried.pathway);
    for (const [id, version] of input.carried.applied) applied.set(id, version);
    outbox.push(...input.carried.outbox);
  }
  const pathwayId = snapshot.context.pathwayId;

  /** Feeds one event to the machine; the caller has checked it. */
  function apply(event: PathwayEvent) {
    const next = step(snapshot, event);
    snapshot = next.snapshot;
    outbox.push(...next.effects);
  }

  /** Lets the machine see the time before anything else happens, so no deadline is skipped. */
  function passTime() {
    const now = Date.now();
    if (now > snapshot.context.now) apply({ type: 'clock.tick', by: SYSTEM, at: now });
  }

  const reject = (type: string, message: string) => ApplicationFailure.create({ type, message, nonRetryable: true });

  setHandler(viewQuery, (actor) => viewOf(snapshot, actor));
  setHandler(auditQuery, () => snapshot.context.audit);

  setHandler(
    actUpdate,
    (request) => {
      if (applied.has(request.requestId)) return viewOf(snapshot, request.actor);
      passTime();
      const event: PathwayEvent = { ...request.command, by: request.actor, at: Date.now() };
      const refusal = check(snapshot, event);
      // The validator checked the same thing an instant ago; this guards the impossible.
      if (refusal) throw reject(RejectionType[refusal.code], refusal.reason);
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
        const version = snapshot.context.version;
        if (request.expectedVersion !== version) {
          throw reject(RejectionType.stale, `the pathway has changed (version ${version}, you saw ${request.expectedVersion}): reload and try again`);
        }
        const refusal = check(snapshot, { ...request.command, by: request.actor, at: Math.max(Date.now(), snapshot.context.now) });
        if (refusal) throw reject(RejectionType[refusal.code], refusal.reason);
      },
    },
  );

  setHandler(placeGrantedSignal, ({ facilityId }) => {
    passTime();
    const event: PathwayEvent = { type: 'place.grant', facilityId, by: SYSTEM, at: Date.now() };
    const refusal = check(snapshot, event);
    if (refusal) {
      log.warn('place grant refused', { pathwayId, facilityId, reason: refusal.reason });
      return;
    }
    apply(event);
    publish();
  });

  // --- visibility -----------------------------------------------------------------------
  let published = '';
  /** Upserts the search attributes when they changed; unchanged ones cost no history event. */
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
      { key: SA.PathwayFlags, value: flags(stage, c) },
      { key: SA.PathwayFacility, value: stage === 'waiting' || stage === 'stay' ? c.facilityId : null },
    ];
    const fingerprint = JSON.stringify(pairs.map((p) => p.value));
    if (fingerprint === published) return;
    published = fingerprint;
    upsertSearchAttributes(pairs);
  }

  // --- effects ----------------------------------------------------------------------------
  let carrying = false;
  /** Carries out effects one at a time, removing each only once done, so none is lost. */
  async function drainOutbox() {
    while (outbox.length > 0) {
      carrying = true;
      const effect = outbox[0]!;
      switch (effect.type) {
        case 'notify':
          await deliverNotice({ ...effect, pathwayId });
          break;
        case 'place.request':
        case 'place.cancel':
        case 'place.release':
          // Facility workflows that hold capacity and the waitlist pick these up (issue #3);
          // until then the place is granted by the placeGranted signal.
          log.info('place effect recorded', { pathwayId, type: effect.type, facilityId: effect.facilityId });
          break;
      }
      outbox.shift();
    }
    carrying = false;
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

  while (snapshot.status !== 'done' && !runIsFull()) {
    const stage = whereOf(snapshot.value).stage;
    const armedFor = nextDeadline(stage, snapshot.context)?.at;
    const stillArmed = () => nextDeadline(whereOf(snapshot.value).stage, snapshot.context)?.at === armedFor;
    const wait = armedFor === undefined ? undefined : armedFor - Date.now();
    const changed = wait !== undefined && wait <= 0 ? false : await condition(() => !stillArmed() || snapshot.status === 'done' || runIsFull(), wait);
    if (!changed) {
      passTime();
      publish();
    }
  }

  // Let running handlers and the effect in flight finish, so nothing is cut in half.
  await condition(() => allHandlersFinished() && !carrying && (snapshot.status !== 'done' || outbox.length === 0));

  if (snapshot.status !== 'done') {
    await continueAsNew<typeof pathwayWorkflow>({
      carried: { pathway: persist(snapshot), applied: [...applied], outbox },
      limits: input.limits,
    });
  }
  const closure = snapshot.context.closure!;
  return { pathwayId, reason: closure.reason, closedAt: closure.at };
}
