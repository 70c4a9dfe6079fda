import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { DAY } from '../machines';
import {
  boardQuery,
  cancelRequestSignal,
  releasePlaceSignal,
  requestPlaceSignal,
  SetCapacitySchema,
  setCapacityUpdate,
  stayEndSignal,
  type FacilityBoard,
  type FacilityInput,
  type FacilityState,
  type Waiting,
} from './facility-messages';
import { pathwayWorkflowId, placeGrantedSignal } from './messages';

/** Waitlist order: urgent first, then by time of request. */
const byTurn = (a: Waiting, b: Waiting) =>
  a.priority === b.priority ? a.requestedAt - b.requestedAt : a.priority === 'urgent' ? -1 : 1;

/**
 * When each waiting pathway can expect a place, if stays end as planned: each place frees at
 * its occupant's end and is then taken for a full stay by the next in line.
 */
export function project(state: FacilityState, now: number): FacilityBoard {
  const freeAt = state.occupants.map((o) => Math.max(now, o.endsAt)).sort((a, b) => a - b);
  // Above capacity (it was lowered), the first places to free up are not given again.
  freeAt.splice(0, Math.max(0, freeAt.length - state.capacity));
  while (freeAt.length < state.capacity) freeAt.push(now);
  freeAt.sort((a, b) => a - b);
  const waitlist = state.waitlist.map((w) => {
    // With capacity 0 there is no date to promise.
    const projectedAt = freeAt.shift() ?? Number.POSITIVE_INFINITY;
    if (Number.isFinite(projectedAt)) {
      freeAt.push(projectedAt + state.stayDays * DAY);
      freeAt.sort((a, b) => a - b);
    }
    return { ...w, projectedAt };
  });
  return { ...state, occupants: [...state.occupants].sort((a, b) => a.endsAt - b.endsAt), waitlist, asOf: now };
}

/**
 * One care facility: its capacity, who occupies its places, and who waits for one.
 * Signal handlers run one at a time and grants happen only in the loop below, which checks
 * capacity before each, so occupancy never exceeds capacity whatever the interleaving.
 */
export async function facilityWorkflow(input: FacilityInput): Promise<void> {
  const state: FacilityState =
    'carried' in input
      ? input.carried
      : { facilityId: input.facilityId, capacity: input.capacity ?? 2, stayDays: input.stayDays ?? 56, occupants: [], waitlist: [] };

  const holds = (pathwayId: string) => state.occupants.some((o) => o.pathwayId === pathwayId);

  setHandler(requestPlaceSignal, ({ pathwayId, priority }) => {
    if (holds(pathwayId)) return; // a retried request
    const waiting = state.waitlist.find((w) => w.pathwayId === pathwayId);
    // Asked again: keep the place in line, but a raised priority counts.
    if (waiting) waiting.priority = priority ?? waiting.priority;
    else state.waitlist.push({ pathwayId, requestedAt: Date.now(), priority: priority ?? 'normal' });
    state.waitlist.sort(byTurn);
  });
  setHandler(cancelRequestSignal, ({ pathwayId }) => {
    state.waitlist = state.waitlist.filter((w) => w.pathwayId !== pathwayId);
  });
  setHandler(releasePlaceSignal, ({ pathwayId }) => {
    state.occupants = state.occupants.filter((o) => o.pathwayId !== pathwayId);
  });
  setHandler(stayEndSignal, ({ pathwayId, endsAt }) => {
    state.occupants = state.occupants.map((o) => (o.pathwayId === pathwayId ? { ...o, endsAt } : o));
  });
  setHandler(boardQuery, () => project(state, Date.now()));
  setHandler(
    setCapacityUpdate,
    ({ capacity, actor }) => {
      log.info('facility capacity changed', { facilityId: state.facilityId, capacity, by: actor.id });
      state.capacity = capacity;
      return project(state, Date.now());
    },
    {
      validator: (raw) => {
        const parsed = SetCapacitySchema.safeParse(raw);
        if (!parsed.success) throw ApplicationFailure.create({ type: 'FacilityInvalidRequest', message: parsed.error.issues[0]?.message ?? 'malformed', nonRetryable: true });
        if (parsed.data.actor.role !== 'admin' && parsed.data.actor.role !== 'supervisor') {
          throw ApplicationFailure.create({ type: 'FacilityForbidden', message: 'only an admin or a supervisor may change capacity', nonRetryable: true });
        }
      },
    },
  );

  const runIsFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > 5_000;

  while (!runIsFull()) {
    await condition(() => (state.occupants.length < state.capacity && state.waitlist.length > 0) || runIsFull());
    if (runIsFull()) break;
    const next = state.waitlist.shift()!;
    const now = Date.now();
    state.occupants.push({ pathwayId: next.pathwayId, since: now, endsAt: now + state.stayDays * DAY });
    try {
      await getExternalWorkflowHandle(pathwayWorkflowId(next.pathwayId)).signal(placeGrantedSignal, { facilityId: state.facilityId });
    } catch (err) {
      // The pathway has ended or never existed: the place goes to the next in line.
      log.warn('grant could not be delivered; place freed', { facilityId: state.facilityId, pathwayId: next.pathwayId, error: String(err) });
      state.occupants = state.occupants.filter((o) => o.pathwayId !== next.pathwayId);
    }
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof facilityWorkflow>({ carried: state });
}
