import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  canGrant,
  cancelRequest,
  grantToHead,
  openFacility,
  project,
  releasePlace,
  reportStayEnd,
  requestPlace,
  returnGrant,
  setCapacity,
  takeGrant,
  type FacilityState,
} from '../machines';
import {
  boardQuery,
  cancelRequestSignal,
  releasePlaceSignal,
  requestPlaceSignal,
  SetCapacitySchema,
  setCapacityUpdate,
  stayEndSignal,
  type FacilityInput,
} from './facility-messages';
import { pathwayWorkflowId, placeGrantedSignal } from './messages';

/** Patch id: grants look at capacity again after the activation's handlers ran (docs/architecture.md, rule 10). */
const GRANT_RECHECKS_CAPACITY = 'grant-rechecks-capacity';

/**
 * One care facility: its capacity, who occupies its places, and who waits for one.
 * Signal handlers run one at a time and grants happen only in the loop below, which checks
 * capacity before each, so occupancy never exceeds capacity whatever the interleaving.
 */
export async function facilityWorkflow(input: FacilityInput): Promise<void> {
  // The rules live in machines/facility.ts: handlers only swap in the next state.
  let state: FacilityState = 'carried' in input ? input.carried : openFacility(input);

  setHandler(requestPlaceSignal, (r) => {
    state = requestPlace(state, r, Date.now());
  });
  setHandler(cancelRequestSignal, (r) => {
    state = cancelRequest(state, r);
  });
  setHandler(releasePlaceSignal, (r) => {
    state = releasePlace(state, r);
  });
  setHandler(stayEndSignal, (r) => {
    state = reportStayEnd(state, r);
  });
  setHandler(boardQuery, () => project(state, Date.now()));
  setHandler(
    setCapacityUpdate,
    ({ capacity, actor }) => {
      log.info('facility capacity changed', { facilityId: state.facilityId, capacity, by: actor.id });
      state = setCapacity(state, capacity);
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
    await condition(() => canGrant(state) || runIsFull());
    if (runIsFull()) break;
    // Handlers for later jobs of the same activation run before this line, so the state may
    // have changed since the condition held (a release, then capacity lowered). Histories from
    // before the patch granted without looking again and must replay so; an emptied waitlist
    // (which used to crash the task, leaving nothing to replay) just waits again.
    const grant = patched(GRANT_RECHECKS_CAPACITY) ? takeGrant(state, Date.now()) : grantToHead(state, Date.now());
    if (!grant) continue;
    state = grant.state;
    try {
      await getExternalWorkflowHandle(pathwayWorkflowId(grant.pathwayId)).signal(placeGrantedSignal, { facilityId: state.facilityId });
    } catch (err) {
      // The pathway has ended or never existed: the place goes to the next in line.
      log.warn('grant could not be delivered; place freed', { facilityId: state.facilityId, pathwayId: grant.pathwayId, error: String(err) });
      state = returnGrant(state, grant.pathwayId);
    }
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof facilityWorkflow>({ carried: state });
}
