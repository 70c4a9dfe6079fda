import { DAY } from './time';

/**
 * A care facility's places as pure functions: a state and a message in, the next state out.
 * The facility workflow only feeds these and delivers grants, so every rule about who gets
 * a place, and when, is testable without Temporal (test/machines/facility-properties.test.ts).
 * States cross continue-as-new as JSON: plain objects and arrays, epoch milliseconds.
 */

/**
 * What a person may ask for. `urgent` is for a documented acute need (for example discharge
 * from a closed ward with nowhere to go); the choice is recorded in the pathway's audit trail
 * by whoever asked.
 */
export type Priority = 'normal' | 'urgent';

/**
 * Waitlist order: urgent, then returning, then normal; first come first served within each.
 * `returning` is a citizen whose place here went to the next in line when their hospital hold
 * ran out: they had waited their turn once, so they keep it (ordered among themselves by when
 * they lost the place), but an urgent need, judged case by case, still goes first.
 */
export type Standing = 'urgent' | 'returning' | 'normal';
const rank: Record<Standing, number> = { urgent: 0, returning: 1, normal: 2 };

/** A place request as the pathway sends it. */
export interface PlaceRequest {
  pathwayId: string;
  priority?: Priority;
  /** The citizen lost a place here after a hospital hold, at this time: they queue as `returning`. */
  lostPlaceAt?: number;
}

/** A stay paused by a hospital admission: its clock stands still, the place is held until `holdUntil`. */
export interface Pause {
  readonly since: number;
  readonly holdUntil: number;
}

export interface Occupant {
  readonly pathwayId: string;
  readonly since: number;
  /** The stay's end; while paused, as it stood when the pause began. */
  readonly endsAt: number;
  readonly paused?: Pause;
}
export interface Waiting {
  readonly pathwayId: string;
  /** When the request was made; for a returning citizen, when they lost their place. */
  readonly requestedAt: number;
  readonly priority: Standing;
}
/** Read-only: change it only through the functions below, which keep the waitlist in turn order. */
export interface FacilityState {
  readonly facilityId: string;
  readonly capacity: number;
  /** Days a stay lasts unless the pathway reports otherwise: for projecting the waitlist. */
  readonly stayDays: number;
  readonly occupants: readonly Occupant[];
  /** In turn order (see `byTurn`): the head is granted next. */
  readonly waitlist: readonly Waiting[];
}

/** What the board query returns: a fresh copy, so plain arrays. */
export interface FacilityBoard {
  facilityId: string;
  capacity: number;
  stayDays: number;
  asOf: number;
  /** Soonest end first; a paused stay's end as it would be if the citizen came back now. */
  occupants: Occupant[];
  /** In turn order, each with when a place can be expected (`Infinity` while capacity is 0). */
  waitlist: (Waiting & { projectedAt: number })[];
}

/** A grant taken from the waitlist, still to be delivered to the pathway. */
export interface FacilityGrant {
  readonly state: FacilityState;
  readonly pathwayId: string;
}

export function openFacility(i: { facilityId: string; capacity?: number; stayDays?: number }): FacilityState {
  return { facilityId: i.facilityId, capacity: i.capacity ?? 2, stayDays: i.stayDays ?? 56, occupants: [], waitlist: [] };
}

/** Waitlist order (see `Standing`); `sort` is stable, so ties keep their order. */
const byTurn = (a: Waiting, b: Waiting) => rank[a.priority] - rank[b.priority] || a.requestedAt - b.requestedAt;

const holds = (s: FacilityState, pathwayId: string) => s.occupants.some((o) => o.pathwayId === pathwayId);

/**
 * A pathway asks for a place. Requests are retried, so asking again is harmless: an occupant
 * stays where it is, and a waiting pathway keeps its time of request, taking the priority
 * given this time, if any, so that a raised priority counts (a lowered one counts too).
 * Urgent wins over a lost place; a returning citizen counts from when the place was lost.
 */
export function requestPlace(s: FacilityState, r: PlaceRequest, now: number): FacilityState {
  if (holds(s, r.pathwayId)) return s;
  const standing: Standing | undefined = r.priority === 'urgent' ? 'urgent' : r.lostPlaceAt !== undefined ? 'returning' : r.priority;
  const lostAt = standing === 'returning' ? Math.min(r.lostPlaceAt!, now) : undefined;
  const waiting = s.waitlist.find((w) => w.pathwayId === r.pathwayId);
  const waitlist = waiting
    ? s.waitlist.map((w) => (w === waiting ? { ...w, priority: standing ?? w.priority, requestedAt: lostAt ?? w.requestedAt } : w))
    : [...s.waitlist, { pathwayId: r.pathwayId, requestedAt: lostAt ?? now, priority: standing ?? 'normal' }];
  return { ...s, waitlist: waitlist.sort(byTurn) };
}

/** A pathway no longer wants a place: it leaves the waitlist (a place it holds is released separately). */
export function cancelRequest(s: FacilityState, r: { pathwayId: string }): FacilityState {
  return { ...s, waitlist: s.waitlist.filter((w) => w.pathwayId !== r.pathwayId) };
}

/** A stay is over: the place is free for the next in line. */
export function releasePlace(s: FacilityState, r: { pathwayId: string }): FacilityState {
  return { ...s, occupants: s.occupants.filter((o) => o.pathwayId !== r.pathwayId) };
}

/**
 * A stay's end moved (an extension, a return from hospital), or the stay paused for a hospital
 * admission (`paused`; a report without it ends the pause): only the board's projection changes.
 */
export function reportStayEnd(s: FacilityState, r: { pathwayId: string; endsAt: number; paused?: Pause }): FacilityState {
  const moved = (o: Occupant): Occupant => {
    const { paused: _, ...rest } = o;
    return r.paused ? { ...rest, endsAt: r.endsAt, paused: r.paused } : { ...rest, endsAt: r.endsAt };
  };
  return { ...s, occupants: s.occupants.map((o) => (o.pathwayId === r.pathwayId ? moved(o) : o)) };
}

/** A stay's end as known at `now`: while paused, it moves on with the time in hospital. */
export const endAsOf = (o: Occupant, now: number) => (o.paused ? o.endsAt + Math.max(0, now - o.paused.since) : o.endsAt);

/**
 * When an occupant's place can be expected free: the stay's end as of now, and while the
 * citizen is in hospital not before the hold runs out, since the place is theirs until then.
 */
const freesAt = (o: Occupant, now: number) => Math.max(now, endAsOf(o, now), o.paused?.holdUntil ?? 0);

/**
 * Capacity may go below occupancy (places closing): nobody is evicted, but no place is
 * granted until occupancy has dropped below the new capacity.
 */
export function setCapacity(s: FacilityState, capacity: number): FacilityState {
  return { ...s, capacity };
}

/** A place is free and someone waits for it. */
export const canGrant = (s: FacilityState) => s.occupants.length < s.capacity && s.waitlist.length > 0;

/**
 * The head of the waitlist takes a free place, for a full stay from `now`; nothing when no
 * place is free or nobody waits. The only way occupancy grows, so it never exceeds capacity.
 */
export function takeGrant(s: FacilityState, now: number): FacilityGrant | undefined {
  return canGrant(s) ? grantToHead(s, now) : undefined;
}

/**
 * The head of the waitlist takes a place, without looking at capacity; nothing when nobody
 * waits. Use `takeGrant`: this exists only so facility histories recorded before the
 * `grant-rechecks-capacity` patch replay as they ran.
 */
export function grantToHead(s: FacilityState, now: number): FacilityGrant | undefined {
  const [next, ...rest] = s.waitlist;
  if (!next) return undefined;
  const occupant: Occupant = { pathwayId: next.pathwayId, since: now, endsAt: now + s.stayDays * DAY };
  return { state: { ...s, occupants: [...s.occupants, occupant], waitlist: rest }, pathwayId: next.pathwayId };
}

/** The grant could not be delivered (the pathway has ended or never existed): the place goes to the next in line. */
export function returnGrant(s: FacilityState, pathwayId: string): FacilityState {
  return releasePlace(s, { pathwayId });
}

/**
 * When each waiting pathway can expect a place, if stays end as planned: each place frees at
 * its occupant's end (see `freesAt`) and is then taken for a full stay by the next in line.
 */
export function project(state: FacilityState, now: number): FacilityBoard {
  const freeAt = state.occupants.map((o) => freesAt(o, now)).sort((a, b) => a - b);
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
  const occupants = state.occupants.map((o) => ({ ...o, endsAt: endAsOf(o, now) })).sort((a, b) => a.endsAt - b.endsAt);
  return { ...state, occupants, waitlist, asOf: now };
}

/** Who a board entry is, for those who may read the pathway: the citizen's name (where entered) and coordinator. */
export interface Who {
  citizenName: string | null;
  coordinator: string | null;
}
/** A board entry as its reader sees it: with who it is, or (a pathway outside their scope) without id, priority or name. */
export type Seen<T extends { pathwayId: string }> = (T & Who) | (Omit<T, 'pathwayId' | 'priority' | 'requestedAt'> & { pathwayId: null });
/** The occupancy board: each place with its citizen, coordinator and day of the stay; the waitlist with projected dates. */
export type OccupancyBoard = Omit<FacilityBoard, 'occupants' | 'waitlist'> & {
  occupants: Seen<Occupant & { day: number; limitDay: number }>[];
  waitlist: Seen<FacilityBoard['waitlist'][number]>[];
};

/** Day 1 is the first day of a stay; the limit day is where it ends now (extensions included). */
export const dayOfStay = (o: Pick<Occupant, 'since' | 'endsAt'>, at: number) => ({
  day: Math.floor((at - o.since) / DAY) + 1,
  limitDay: Math.round((o.endsAt - o.since) / DAY),
});

/**
 * The board for one reader: `who` names the pathways they may read (undefined for the rest,
 * whose entries keep only when they came and when they leave or are expected to get a place).
 */
export function occupancyOf(board: FacilityBoard, who: (pathwayId: string) => Who | undefined): OccupancyBoard {
  return {
    ...board,
    occupants: board.occupants.map((o) => {
      const days = dayOfStay(o, board.asOf);
      const known = who(o.pathwayId);
      return known ? { ...o, ...days, ...known } : { since: o.since, endsAt: o.endsAt, ...(o.paused ? { paused: o.paused } : {}), ...days, pathwayId: null };
    }),
    waitlist: board.waitlist.map(({ pathwayId, priority, requestedAt, ...rest }) => {
      const known = who(pathwayId);
      return known ? { pathwayId, priority, requestedAt, ...rest, ...known } : { ...rest, pathwayId: null };
    }),
  };
}
