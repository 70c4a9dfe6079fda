import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { facilityWorkflow } from '../workflows/facility';
import {
  cancelRequestSignal,
  facilityWorkflowId,
  releasePlaceSignal,
  requestPlaceSignal,
  stayEndSignal,
  type FacilityInput,
  type Pause,
  type PlaceRequest,
} from '../workflows/facility-messages';

/**
 * A pathway's messages to a facility. They go through activities because only a client can
 * signal-with-start: the facility's workflow is created on its first request, with the
 * configured default capacity.
 */
export function createFacilityActivities(client: Client, taskQueue: string, defaults: { capacity: number }) {
  const send = async <P>(facilityId: string, signal: SignalDefinition<[P]>, payload: P) => {
    await client.workflow.signalWithStart<typeof facilityWorkflow, [P]>('facilityWorkflow', {
      workflowId: facilityWorkflowId(facilityId),
      taskQueue,
      args: [{ facilityId, capacity: defaults.capacity } satisfies FacilityInput],
      signal: signal.name,
      signalArgs: [payload],
    });
  };
  return {
    async requestPlace({ facilityId, ...request }: PlaceRequest & { facilityId: string }) {
      await send(facilityId, requestPlaceSignal, request);
    },
    async cancelPlaceRequest(i: { facilityId: string; pathwayId: string }) {
      await send(i.facilityId, cancelRequestSignal, { pathwayId: i.pathwayId });
    },
    async releasePlace(i: { facilityId: string; pathwayId: string }) {
      await send(i.facilityId, releasePlaceSignal, { pathwayId: i.pathwayId });
    },
    async reportStayEnd(i: { facilityId: string; pathwayId: string; endsAt: number; paused?: Pause }) {
      await send(i.facilityId, stayEndSignal, { pathwayId: i.pathwayId, endsAt: i.endsAt, ...(i.paused ? { paused: i.paused } : {}) });
    },
  };
}

export type FacilityActivities = ReturnType<typeof createFacilityActivities>;
