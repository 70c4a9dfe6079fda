import { describe, expect, it } from 'vitest';
import {
  DAY,
  HOUR,
  defaultPolicy,
  openFacility,
  project,
  releasePlace,
  reportStayEnd,
  requestPlace,
  takeGrant,
  type FacilityState,
} from '../../machines';
import { carer, system } from '../support/actors';
import { Pathway, T0 } from '../support/pathway';

/** One place, taken by `a` from T0 for 56 days, with `w` waiting. */
function fullHouse(): FacilityState {
  let s = openFacility({ facilityId: 'f', capacity: 1, stayDays: 56 });
  s = requestPlace(s, { pathwayId: 'a' }, T0);
  s = takeGrant(s, T0)!.state;
  return requestPlace(s, { pathwayId: 'w' }, T0 + HOUR);
}

describe('the board while a citizen is in hospital', () => {
  it('moves the paused stay’s end on with the clock, and promises the place no earlier than the hold’s end', () => {
    const admitted = T0 + 20 * DAY;
    const s = reportStayEnd(fullHouse(), { pathwayId: 'a', endsAt: T0 + 56 * DAY, paused: { since: admitted, holdUntil: admitted + 14 * DAY } });
    for (const inHospital of [0, 3, 10, 20]) {
      const now = admitted + inHospital * DAY;
      const board = project(s, now);
      // If the citizen came back now, the stay would end this much later.
      expect(board.occupants[0]!.endsAt).toBe(T0 + (56 + inHospital) * DAY);
      expect(board.waitlist[0]!.projectedAt).toBe(T0 + (56 + inHospital) * DAY);
    }
  });

  it('does not promise a held place before the hold runs out, near the end of a stay', () => {
    const admitted = T0 + 50 * DAY; // six days left, a 14-day hold
    const s = reportStayEnd(fullHouse(), { pathwayId: 'a', endsAt: T0 + 56 * DAY, paused: { since: admitted, holdUntil: admitted + 14 * DAY } });
    const board = project(s, admitted + DAY);
    expect(board.occupants[0]!.endsAt).toBe(T0 + 57 * DAY);
    expect(board.waitlist[0]!.projectedAt).toBe(admitted + 14 * DAY);
  });

  it('fixes the end again on the return', () => {
    const admitted = T0 + 20 * DAY;
    let s = reportStayEnd(fullHouse(), { pathwayId: 'a', endsAt: T0 + 56 * DAY, paused: { since: admitted, holdUntil: admitted + 14 * DAY } });
    s = reportStayEnd(s, { pathwayId: 'a', endsAt: T0 + 61 * DAY });
    expect(s.occupants[0]).toEqual({ pathwayId: 'a', since: T0, endsAt: T0 + 61 * DAY });
    expect(project(s, admitted + 30 * DAY).occupants[0]!.endsAt).toBe(T0 + 61 * DAY);
  });
});

describe('the waitlist after a hospital hold cost a citizen the place', () => {
  it('puts the returning citizen ahead of normal requests, behind urgent ones, returners by when they lost the place', () => {
    let s = openFacility({ facilityId: 'f', capacity: 0 });
    s = requestPlace(s, { pathwayId: 'early-normal' }, T0);
    s = requestPlace(s, { pathwayId: 'urgent', priority: 'urgent' }, T0 + DAY);
    s = requestPlace(s, { pathwayId: 'late-normal' }, T0 + 3 * DAY);
    s = requestPlace(s, { pathwayId: 'returner-2', lostPlaceAt: T0 + 2 * DAY }, T0 + 4 * DAY);
    s = requestPlace(s, { pathwayId: 'returner-1', lostPlaceAt: T0 - DAY }, T0 + 5 * DAY);
    expect(s.waitlist.map((w) => [w.pathwayId, w.priority, (w.requestedAt - T0) / DAY])).toEqual([
      ['urgent', 'urgent', 1],
      ['returner-1', 'returning', -1],
      ['returner-2', 'returning', 2],
      ['early-normal', 'normal', 0],
      ['late-normal', 'normal', 3],
    ]);
  });

  it('gives the next free place to the returner, not to a normal request made after the release', () => {
    let s = fullHouse(); // `a` holds the place, `w` waits
    const holdEnd = T0 + 34 * DAY;
    s = releasePlace(s, { pathwayId: 'a' }); // the hold ran out: `w` gets the place
    const w = takeGrant(s, holdEnd)!;
    expect(w.pathwayId).toBe('w');
    s = requestPlace(w.state, { pathwayId: 'c' }, holdEnd + DAY);
    s = requestPlace(s, { pathwayId: 'a', lostPlaceAt: holdEnd }, holdEnd + 10 * DAY); // out of hospital, rejoins
    s = releasePlace(s, { pathwayId: 'w' });
    expect(takeGrant(s, holdEnd + 60 * DAY)!.pathwayId).toBe('a');
  });
});

describe('a pathway whose place was released after the hold', () => {
  const releasedAfterHold = (policy = defaultPolicy) => {
    const p = Pathway.inStay({ policy });
    p.send(carer, { type: 'hospital.admit' }, T0 + 11 * DAY).send(system, { type: 'clock.tick' }, T0 + 30 * DAY);
    expect(p.c.stay).toBeNull();
    return p;
  };
  const lastRequest = (p: Pathway) => p.effects.filter((e) => e.type === 'place.request').at(-1);

  it('asks the same facility again with the time it lost the place', () => {
    const p = releasedAfterHold().send(carer, { type: 'waitlist.join', facilityId: 'skovvang' });
    expect(lastRequest(p)).toEqual({ type: 'place.request', facilityId: 'skovvang', lostPlaceAt: T0 + 25 * DAY });
    // Once it has a place again, the standing is used up.
    p.send(system, { type: 'place.grant', facilityId: 'skovvang' });
    expect(p.c.lostPlace).toBeUndefined();
  });

  it('queues as anyone else at another facility, as urgent when urgent, and at the back when the policy says so', () => {
    expect(lastRequest(releasedAfterHold().send(carer, { type: 'waitlist.join', facilityId: 'elsewhere' }))).toEqual({
      type: 'place.request',
      facilityId: 'elsewhere',
    });
    expect(lastRequest(releasedAfterHold().send(carer, { type: 'waitlist.join', facilityId: 'skovvang', priority: 'urgent' }))).toEqual({
      type: 'place.request',
      facilityId: 'skovvang',
      priority: 'urgent',
    });
    const backOfQueue = { ...defaultPolicy, stay: { ...defaultPolicy.stay, keepTurnAfterHold: false } };
    expect(lastRequest(releasedAfterHold(backOfQueue).send(carer, { type: 'waitlist.join', facilityId: 'skovvang' }))).toEqual({
      type: 'place.request',
      facilityId: 'skovvang',
    });
  });
});
