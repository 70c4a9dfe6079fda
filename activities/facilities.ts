import type { Client } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError, type SignalDefinition } from '@temporalio/common';
import type { Actor } from '../machines';
import { getFacility, type Records } from '../records';
import type { facilityWorkflow } from '../workflows/facility';
import {
  cancelRequestSignal,
  facilityWorkflowId,
  releasePlaceSignal,
  requestPlaceSignal,
  setCapacityUpdate,
  stayEndSignal,
  type FacilityInput,
  type Pause,
  type PlaceRequest,
} from '../workflows/facility-messages';

/**
 * A pathway's messages to a facility. They go through activities because only a client can
 * signal-with-start: the facility's workflow is created on its first request, with the
 * capacity the registry gives it. A facility the registry does not know is refused, never
 * created (retrying cannot help: someone must register it). Only a request for a place also
 * needs it active: the occupants of a deactivated facility can still leave it.
 */
export function createFacilityActivities(client: Client, taskQueue: string, records: Records) {
  const send = async <P>(facilityId: string, signal: SignalDefinition<[P]>, payload: P, o: { needActive: boolean }) => {
    const facility = await getFacility(records.db, facilityId);
    if (!facility || (o.needActive && !facility.active)) {
      throw ApplicationFailure.create({
        type: 'UnknownFacility',
        message: `no ${facility ? 'active ' : ''}facility ${facilityId} in the registry`,
        nonRetryable: true,
        details: [{ key: 'unknown-facility', params: { facility: facilityId } }],
      });
    }
    await client.workflow.signalWithStart<typeof facilityWorkflow, [P]>('facilityWorkflow', {
      workflowId: facilityWorkflowId(facilityId),
      taskQueue,
      args: [{ facilityId, capacity: facility.capacity } satisfies FacilityInput],
      signal: signal.name,
      signalArgs: [payload],
    });
  };
  return {
    async requestPlace({ facilityId, ...request }: PlaceRequest & { facilityId: string }) {
      await send(facilityId, requestPlaceSignal, request, { needActive: true });
    },
    async cancelPlaceRequest(i: { facilityId: string; pathwayId: string }) {
      await send(i.facilityId, cancelRequestSignal, { pathwayId: i.pathwayId }, { needActive: false });
    },
    async releasePlace(i: { facilityId: string; pathwayId: string }) {
      await send(i.facilityId, releasePlaceSignal, { pathwayId: i.pathwayId }, { needActive: false });
    },
    async reportStayEnd(i: { facilityId: string; pathwayId: string; endsAt: number; paused?: Pause }) {
      await send(i.facilityId, stayEndSignal, { pathwayId: i.pathwayId, endsAt: i.endsAt, ...(i.paused ? { paused: i.paused } : {}) }, { needActive: false });
    },
  };
}

export type FacilityActivities = ReturnType<typeof createFacilityActivities>;

/**
 * Gives a running facility workflow the registry's new capacity (its `setCapacity` Update).
 * False when no workflow runs for it yet: its first request reads the registry anyway.
 */
export async function applyCapacity(client: Client, facilityId: string, capacity: number, actor: Actor): Promise<boolean> {
  try {
    await client.workflow.getHandle<typeof facilityWorkflow>(facilityWorkflowId(facilityId)).executeUpdate(setCapacityUpdate, { args: [{ capacity, actor }] });
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
