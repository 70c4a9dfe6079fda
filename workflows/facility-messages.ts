import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { ActorSchema, type FacilityBoard, type FacilityState, type Pause, type PlaceRequest } from '../machines';

/** The facility workflow's public contract: one workflow per care facility holds its places. */

export const facilityWorkflowId = (facilityId: string) => `facility-${facilityId}`;

// The state types live with the pure logic in machines/facility.ts; re-exported for existing imports.
export type { FacilityBoard, FacilityState, Occupant, Pause, PlaceRequest, Priority, Standing, Waiting } from '../machines';

export type FacilityInput = { facilityId: string; capacity?: number; stayDays?: number } | { carried: FacilityState };

/** `lostPlaceAt`: the citizen lost a place here after a hospital hold, and keeps their turn. */
export const requestPlaceSignal = defineSignal<[PlaceRequest]>('requestPlace');
export const cancelRequestSignal = defineSignal<[{ pathwayId: string }]>('cancelRequest');
export const releasePlaceSignal = defineSignal<[{ pathwayId: string }]>('releasePlace');
/** A stay's end moved, or (`paused`) it paused for a hospital admission; a report without `paused` ends the pause. */
export const stayEndSignal = defineSignal<[{ pathwayId: string; endsAt: number; paused?: Pause }]>('stayEnd');

export const SetCapacitySchema = z.object({ capacity: z.number().int().min(0).max(500), actor: ActorSchema }).strict();
export const setCapacityUpdate = defineUpdate<FacilityBoard, [z.infer<typeof SetCapacitySchema>]>('setCapacity');
/**
 * The board as of `asOf` (the reader's clock) or, if later, the workflow's time: a query does not
 * advance the workflow's clock, and a paused stay's end moves on while nothing happens here.
 */
export const boardQuery = defineQuery<FacilityBoard, [asOf?: number]>('board');
