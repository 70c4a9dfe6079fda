import { describe, expect, it } from 'vitest';
import { DAY, extensionEffect, occupancyOf, openFacility, project, requestPlace, takeGrant, type FacilityState } from '../../machines';
import { T0 } from '../support/pathway';

/** A facility with `capacity` places, `occupied` of them taken at T0, and `waiting` on its list. */
function facility(capacity: number, occupied: number, waiting: number): FacilityState {
  let s = openFacility({ facilityId: 'f', capacity, stayDays: 56 });
  for (let i = 0; i < occupied; i++) {
    s = requestPlace(s, { pathwayId: `in-${i}` }, T0);
    s = takeGrant(s, T0)!.state;
  }
  for (let i = 0; i < waiting; i++) s = requestPlace(s, { pathwayId: `wait-${i}` }, T0 + i);
  return s;
}
/** The board as a reader sees it who may read only `readable`. */
const board = (s: FacilityState, readable: string[], at = T0 + 10 * DAY) =>
  occupancyOf(project(s, at), (id) => (readable.includes(id) ? { citizenName: null, coordinator: null } : undefined));

describe('what approving an extension does to the waitlist', () => {
  it('moves the first waiting citizen back by the days approved when the stay ends first', () => {
    const s = facility(2, 2, 2);
    // Both stays end on day 56: the other place still frees then for the first in line; the second waits 14 days more.
    expect(extensionEffect(board(s, ['in-0']), 'in-0', 14)).toEqual({ waiting: 2, later: 1, byDays: 14 });
  });

  it('moves everyone behind a single place', () => {
    expect(extensionEffect(board(facility(1, 1, 3), ['in-0']), 'in-0', 10)).toEqual({ waiting: 3, later: 3, byDays: 10 });
  });

  it('moves no one when a place stands free or no one waits', () => {
    expect(extensionEffect(board(facility(2, 1, 1), ['in-0']), 'in-0', 14)).toEqual({ waiting: 1, later: 0, byDays: 0 });
    expect(extensionEffect(board(facility(1, 1, 0), ['in-0']), 'in-0', 14)).toEqual({ waiting: 0, later: 0, byDays: 0 });
  });

  it('works on a redacted board, where other teams’ occupants have no id', () => {
    const seen = board(facility(2, 2, 2), ['in-1']);
    expect(seen.occupants.filter((o) => o.pathwayId === null)).toHaveLength(1);
    expect(seen.waitlist.every((w) => w.pathwayId === null)).toBe(true);
    expect(extensionEffect(seen, 'in-1', 7)).toEqual({ waiting: 2, later: 1, byDays: 7 });
  });
});
