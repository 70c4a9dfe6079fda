import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import { ActorSchema } from '../machines';

/** The facility workflow's public contract: one workflow per care facility holds its places. */

export const facilityWorkflowId = (facilityId: string) => `facility-${facilityId}`;

/**
 * Waitlist order: urgent requests before normal ones, first come first served within each.
 * `urgent` is for a documented acute need (for example discharge from a closed ward with
 * nowhere to go); the choice is recorded in the pathway's audit trail by whoever asked.
 */
export type Priority = 'normal' | 'urgent';

export interface Occupant {
  pathwayId: string;
  since: number;
  endsAt: number;
}
export interface Waiting {
  pathwayId: string;
  requestedAt: number;
  priority: Priority;
}
export interface FacilityState {
  facilityId: string;
  capacity: number;
  /** Days a stay lasts unless the pathway reports otherwise: for projecting the waitlist. */
  stayDays: number;
  occupants: Occupant[];
  waitlist: Waiting[];
}

export interface FacilityBoard extends Omit<FacilityState, 'waitlist'> {
  asOf: number;
  waitlist: (Waiting & { projectedAt: number })[];
}

export type FacilityInput = { facilityId: string; capacity?: number; stayDays?: number } | { carried: FacilityState };

export const requestPlaceSignal = defineSignal<[{ pathwayId: string; priority?: Priority }]>('requestPlace');
export const cancelRequestSignal = defineSignal<[{ pathwayId: string }]>('cancelRequest');
export const releasePlaceSignal = defineSignal<[{ pathwayId: string }]>('releasePlace');
export const stayEndSignal = defineSignal<[{ pathwayId: string; endsAt: number }]>('stayEnd');

export const SetCapacitySchema = z.object({ capacity: z.number().int().min(0).max(500), actor: ActorSchema }).strict();
export const setCapacityUpdate = defineUpdate<FacilityBoard, [z.infer<typeof SetCapacitySchema>]>('setCapacity');
export const boardQuery = defineQuery<FacilityBoard>('board');
