import { project, type FacilityState, type OccupancyBoard } from './facility';
import { DAY } from './time';

/** What approving an extension does to the waitlist of the citizen's facility. */
export interface ExtensionEffect {
  /** Citizens waiting for a place there. */
  waiting: number;
  /** How many of them would get their place later, and the longest of those delays in days. */
  later: number;
  byDays: number;
}

/**
 * The waitlist's projected places with the stay of `pathwayId` longer by `days`, against as
 * they stand. It works on the board as its reader sees it: entries of other teams keep their
 * dates, which is all a projection needs.
 */
export function extensionEffect(board: OccupancyBoard, pathwayId: string, days: number): ExtensionEffect {
  const state = (extra: number): FacilityState => ({
    facilityId: board.facilityId,
    capacity: board.capacity,
    stayDays: board.stayDays,
    occupants: board.occupants.map((o, i) => ({
      pathwayId: o.pathwayId ?? `other-${i}`,
      since: o.since,
      endsAt: o.endsAt + (o.pathwayId === pathwayId ? extra * DAY : 0),
      // The board's ends are already as of its time: a pause keeps only its hold.
      ...(o.paused ? { paused: { since: board.asOf, holdUntil: o.paused.holdUntil } } : {}),
    })),
    waitlist: board.waitlist.map((_, i) => ({ pathwayId: `waiting-${i}`, requestedAt: i, priority: 'normal' })),
  });
  const before = project(state(0), board.asOf).waitlist;
  const after = project(state(days), board.asOf).waitlist;
  // Infinity against Infinity (no places at all) is NaN: no one waits longer than forever.
  const delays = after.map((w, i) => w.projectedAt - before[i]!.projectedAt).filter((d) => d > 0);
  return { waiting: before.length, later: delays.length, byDays: Math.round(Math.max(0, ...delays) / DAY) };
}
