import { allHandlersFinished, ApplicationFailure, condition, continueAsNew, log, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  check,
  describeIssues,
  nextDeadline,
  persist,
  PolicySchema,
  restore,
  startPathway,
  step,
  SYSTEM,
  viewOf,
  whereOf,
  type Actor,
  type Effect,
  type PathwayEvent,
  type PathwaySnapshot,
  type Refusal,
  type Stepped,
} from '../machines';
import { effectLanes } from './effect-lanes';
import type { EffectHost, Notify } from './effects';
import { judge, judgingTime, type Applied, type Judgement } from './judge';
import { continuedPolicy, startingPolicy } from './policy-patches';
import { legacyOutbox } from './legacy-outbox';
import { runPatches } from './patches';
import { validActor } from './refused-payloads';
import {
  actUpdate,
  auditQuery,
  openUpdate,
  placeGrantedSignal,
  recordsFailingSignal,
  runLimits,
  flushRecordsUpdate,
  RejectionType,
  viewQuery,
  type ActRequest,
  type Carried,
  type PathwayOutcome,
  type PathwayWorkflowInput,
  type PathwayWorkflowView,
} from './messages';
import { recordsLane } from './records-lane';
import { recordsLaneV1 } from './records-lane-v1';
import { visibilityPublisher } from './visibility';

/** How many request ids to remember across runs. */
const REMEMBERED_REQUESTS = 1_000;
/** How long the end of a run waits for an effect in flight; then the next run does it again. */
const IN_FLIGHT_GRACE = '1 minute';
/** Patch ids: each marks histories recorded after a change of behaviour (workflows/patches.ts); the policy's are in policy-patches.ts. */
const FACILITY_EFFECTS = 'facility-workflows';
const DEADLINE_FROM_TIMER = 'deadline-from-timer';
/** Effects in lanes that do not block each other, bounded facility calls, and runs that end whatever is in flight. */
const EFFECT_LANES = 'effect-lanes';
/** The Update handler applies what the validator judged, at the same time (workflows/judge.ts). */
const ONE_JUDGE = 'one-judge';
/** The audit trail and the pathway's record go to the record store; the run keeps a bounded tail (workflows/records-lane.ts). */
const AUDIT_TO_RECORDS = 'audit-to-records';
/** Each step starts the write of its own entries, and a run ends once its writes are done (workflows/records-lane.ts). */
const RECORDS_PER_STEP = 'records-per-step';

/**
 * One citizen's pathway. The machine decides; this function only feeds it events (Updates,
 * signals, the passing of time), has its effects carried out, and keeps visibility current.
 */
export async function pathwayWorkflow(input: PathwayWorkflowInput): Promise<PathwayOutcome> {
  const patched = runPatches();
  const limits = { ...runLimits(patched), ...input.limits };
  let snapshot: PathwaySnapshot;
  const applied = new Map<string, Applied>();
  const carried: { outbox: Effect[]; sent: string[]; records?: Carried['records'] } = { outbox: [], sent: [] };
  let updatesThisRun = 0;

  if ('start' in input) {
    const { policy: asked, ...start } = input.start;
    const parsedPolicy = PolicySchema.safeParse(asked ?? {});
    if (!parsedPolicy.success) {
      throw ApplicationFailure.nonRetryable(`invalid policy: ${describeIssues(parsedPolicy.error)}`, RejectionType.invalid);
    }
    const started = startPathway({ ...start, policy: startingPolicy(parsedPolicy.data, patched), at: Date.now() });
    snapshot = started.snapshot;
    carried.outbox.push(...started.effects);
  } else {
    const { pathway } = input.carried;
    const policy = continuedPolicy(pathway.context.policy, patched);
    snapshot = restore(policy ? { ...pathway, context: { ...pathway.context, policy } } : pathway);
    for (const [id, version, by] of input.carried.applied) applied.set(id, by === undefined ? { version } : { version, by });
    carried.outbox.push(...input.carried.outbox);
    carried.sent.push(...(input.carried.sent ?? []));
    carried.records = input.carried.records;
  }
  const pathwayId = snapshot.context.pathwayId;
  const lanes = patched(EFFECT_LANES);
  const host: EffectHost = {
    pathwayId,
    closedAt: () => (snapshot.status === 'done' ? (snapshot.context.closure?.at ?? null) : null),
    giveUp,
    patched,
    changed: () => publish(),
  };
  const effects = lanes ? effectLanes(host, carried) : legacyOutbox(host, carried);
  const perStep = patched(RECORDS_PER_STEP);
  const records = (perStep ? recordsLane : recordsLaneV1)({
    pathwayId,
    snapshot: () => snapshot,
    changed: () => publish(),
    ...(carried.records ? { carried: carried.records } : {}),
    patched,
  });
  /** The run is ending: actions are refused (retry shortly) so none can arrive with the last write's end. */
  let ending = false;
  /** A pathway started on older code writes its whole trail the first time the patch holds. */
  const recordsIfPatched = () => {
    if (!records.enabled() && patched(AUDIT_TO_RECORDS)) records.enable();
  };
  recordsIfPatched();
  const flags = () => [...effects.flags(), ...records.flags()];
  const publisher = visibilityPublisher(patched);
  const publish = () => publisher(snapshot, flags());

  /** Takes one step of the machine (`event` led to `next`; `byAction`: a person's): its next snapshot, its trail to the records, its effects into the outbox (of behaviour added later, only in histories recorded with it). */
  function take(event: PathwayEvent, next: Stepped, byAction = false) {
    const before = snapshot;
    snapshot = next.snapshot;
    records.step(before, event, snapshot, next.effects);
    recordsIfPatched();
    effects.push(next.effects.filter((e) => e.patch === undefined || patched(e.patch)), byAction);
  }

  /** Feeds one event to the machine; the caller has checked it. */
  const apply = (event: PathwayEvent, byAction = false) => take(event, step(snapshot, event), byAction);

  /** Lets the machine see the time (at least `atLeast`) before anything else happens, so no deadline is skipped. */
  function passTime(atLeast = 0) {
    const now = Math.max(Date.now(), atLeast);
    if (now > snapshot.context.now) apply({ type: 'clock.tick', by: SYSTEM, at: now });
  }

  /** A notice still failing a while after closure: the audit trail says so, and the pathway can complete. */
  function giveUp(n: Notify) {
    const event: PathwayEvent = { type: 'notice.undeliverable', kind: n.kind, key: n.key, by: SYSTEM, at: judgingTime(snapshot, Date.now()) };
    const refusal = check(snapshot, event);
    if (refusal) {
      log.error('undeliverable notice not recorded', { pathwayId, kind: n.kind, reason: refusal.reason });
      return;
    }
    log.warn('notice undeliverable; given up after closure', { pathwayId, kind: n.kind });
    apply(event);
  }

  const view = (actor: Actor, at?: number): PathwayWorkflowView => {
    const v = viewOf(snapshot, actor, at);
    const raised = flags();
    return raised.length > 0 ? { ...v, flags: [...v.flags, ...raised] } : v;
  };
  // `details` carries the refusal as data ({ key, params }) for clients to translate.
  const reject = (type: string, message: string, why?: Refusal['why']) =>
    ApplicationFailure.create({ type, message, nonRetryable: true, ...(why ? { details: [why] } : {}) });
  const judgeNow = (raw: unknown): Judgement => judge(snapshot, applied, raw, judgingTime(snapshot, Date.now()));

  /** After an applied action: remember its request id (a retried click answers, not applies), count it, publish. */
  function afterAction(request: ActRequest) {
    updatesThisRun += 1;
    applied.set(request.requestId, { version: snapshot.context.version, by: request.actor.id });
    if (applied.size > REMEMBERED_REQUESTS) applied.delete(applied.keys().next().value!);
    publish();
  }

  /** Applies what the validator accepted: the same judgement, on the parsed request, at the same time. */
  function act(raw: ActRequest): PathwayWorkflowView {
    const j = judgeNow(raw);
    // The validator judged the same request at the same time an instant ago; this guards the impossible.
    if (j.verdict === 'reject') throw reject(j.type, j.message, j.why);
    if (j.verdict === 'repeat') return view(j.request.actor);
    if (j.ticked) take({ type: 'clock.tick', by: SYSTEM, at: j.event.at }, j.ticked);
    apply(j.event, true);
    afterAction(j.request);
    return view(j.request.actor);
  }

  /** The handler as runs recorded before ONE_JUDGE ran it: the raw request, at the workflow clock. */
  function actAsBefore(request: ActRequest): PathwayWorkflowView {
    if (applied.has(request.requestId)) return view(request.actor);
    passTime();
    const event: PathwayEvent = { ...request.command, by: request.actor, at: Date.now() };
    const refusal = check(snapshot, event);
    if (refusal) throw reject(RejectionType[refusal.code], refusal.reason, refusal.why);
    apply(event);
    afterAction(request);
    return view(request.actor);
  }

  // Everything a handler touches is declared above: an action sent before the first workflow task
  // ran is delivered inside setHandler below, before the rest of this function has run.
  setHandler(viewQuery, view);
  setHandler(auditQuery, () => records.trail());
  setHandler(openUpdate, (actor) => view(actor), { validator: validActor });
  setHandler(actUpdate, (request) => (patched(ONE_JUDGE) ? act(request) : actAsBefore(request)), {
    // Validators reject before anything is written to history: a refused action leaves no trace.
    validator: (raw) => {
      if (ending) throw reject(RejectionType.busy, 'the pathway is moving to a new run: try again in a moment');
      const j = judgeNow(raw);
      if (j.verdict === 'reject') throw reject(j.type, j.message, j.why);
    },
  });

  setHandler(recordsFailingSignal, ({ failing }) => records.failing(failing));
  // An Update, not a signal: Updates replay in their order among the actions, so the write it starts does too.
  setHandler(flushRecordsUpdate, () => records.flushBehind(), {
    validator: () => {
      if (records.behind() === 0) throw reject('NothingBehind', 'no audit entry waits for its durable write');
    },
  });

  setHandler(placeGrantedSignal, ({ facilityId }) => {
    passTime();
    const event: PathwayEvent = { type: 'place.grant', facilityId, by: SYSTEM, at: Date.now() };
    const refusal = check(snapshot, event);
    if (refusal) {
      // Closed or moved on meanwhile: hand the place straight back, so it is not left empty.
      log.warn('place grant refused', { pathwayId, facilityId, reason: refusal.reason });
      if (patched(FACILITY_EFFECTS)) effects.push([{ type: 'place.release', facilityId }]);
      return;
    }
    apply(event);
    publish();
  });

  const runIsFull = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= limits.maxHistoryEvents || updatesThisRun >= limits.maxUpdates;
  };

  /** Sleeps until the next deadline, or until something changes, while the pathway is open and the run has room. */
  async function followDeadlines() {
    while (snapshot.status !== 'done' && !runIsFull()) {
      const armedFor = nextDeadline(whereOf(snapshot.value).stage, snapshot.context)?.at;
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
  }

  /** Waits until the run may end: nothing cut in half, and a closed pathway's last effects done or carried on. */
  async function endOfRun() {
    if (!lanes) {
      // As runs recorded before the lanes ended: after every effect in flight, and a closed pathway's last one.
      return condition(() => allHandlersFinished() && effects.inFlight() === 0 && (snapshot.status !== 'done' || effects.settled()));
    }
    recordsIfPatched();
    if (snapshot.status === 'done') await condition(() => (effects.settled() && records.settled()) || runIsFull());
    // From here no action is taken (the validator asks for a retry) and no record write starts:
    // a write may end with no Update beside it, so the end of the run is the same on replay.
    // Runs recorded before RECORDS_PER_STEP did not wait for their record writes.
    if (perStep) {
      ending = true;
      records.hold();
    }
    // An effect or write in flight gets a moment to finish; after that it travels with the rest and is done again.
    const quiet = () => allHandlersFinished() && effects.inFlight() === 0 && !records.writing();
    if (!quiet()) await condition(quiet, IN_FLIGHT_GRACE);
    await condition(allHandlersFinished);
  }

  publish();
  void effects.run();
  records.run();
  await followDeadlines();
  await endOfRun();

  if (snapshot.status !== 'done' || !effects.settled() || !records.settled()) {
    await continueAsNew<typeof pathwayWorkflow>({
      carried: {
        pathway: persist(snapshot),
        applied: [...applied].map(([id, a]) => (a.by === undefined ? [id, a.version] : [id, a.version, a.by])),
        outbox: effects.pending(),
        sent: effects.sent(),
        ...(records.enabled() ? { records: records.carry() } : {}),
      },
      limits: input.limits,
    });
  }
  const closure = snapshot.context.closure!;
  const undeliverable = records.trail()
    .filter((a) => a.type === 'notice.undeliverable')
    .map((a) => ({ kind: String(a.details?.kind), key: String(a.details?.key) }));
  return { pathwayId, reason: closure.reason, closedAt: closure.at, ...(undeliverable.length > 0 ? { undeliverableNotices: undeliverable } : {}) };
}
