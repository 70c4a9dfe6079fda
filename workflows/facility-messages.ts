import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { ActorSchema, type FacilityBoard, type FacilityState, type Priority } from '../machines';

/** The facility workflow's public contract: one workflow per care facility holds its places. */

export const facilityWorkflowId = (facilityId: string) => `facility-${facilityId}`;

// The state types live with the pure logic in machines/facility.ts; re-exported for existing imports.
export type { FacilityBoard, FacilityState, Occupant, Priority, Waiting } from '../machines';

export type FacilityInput = { facilityId: string; capacity?: number; stayDays?: number } | { carried: FacilityState };

export const requestPlaceSignal = defineSignal<[{ pathwayId: string; priority?: Priority }]>('requestPlace');
export const cancelRequestSignal = defineSignal<[{ pathwayId: string }]>('cancelRequest');
export const releasePlaceSignal = defineSignal<[{ pathwayId: string }]>('releasePlace');
export const stayEndSignal = defineSignal<[{ pathwayId: string; endsAt: number }]>('stayEnd');

export const SetCapacitySchema = z.object({ capacity: z.number().int().min(0).max(500), actor: ActorSchema }).strict();
export const setCapacityUpdate = defineUpdate<FacilityBoard, [z.infer<typeof SetCapacitySchema>]>('setCapacity');
export const boardQuery = defineQuery<FacilityBoard>('board');
