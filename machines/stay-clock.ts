import type { StayClock } from './context';

/** The clock of a stay that begins at `at`: nothing paused, extended or requested yet. */
export const newStay = (facilityId: string, at: number): StayClock => ({
  facilityId,
  startedAt: at,
  extendedDays: 0,
  pausedMs: 0,
  pausedSince: null,
  dischargePlanningStartedAt: null,
  extensionRequest: null,
});

/** The clock runs again at `at`, later by the time it stood still. */
export const resumed = (stay: StayClock & { pausedSince: number }, at: number): StayClock => ({
  ...stay,
  pausedMs: stay.pausedMs + (at - stay.pausedSince),
  pausedSince: null,
});

/** The request decided in favour: `days` (as asked, unless the decision names others) added to the limit. */
export const extended = (stay: StayClock & { extensionRequest: NonNullable<StayClock['extensionRequest']> }, days?: number): StayClock => ({
  ...stay,
  extendedDays: stay.extendedDays + (days ?? stay.extensionRequest.days),
  extensionRequest: null,
});
