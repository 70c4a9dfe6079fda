import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY,
  HOUR,
  cancelRequest,
  openFacility,
  project,
  releasePlace,
  reportStayEnd,
  requestPlace,
  returnGrant,
  setCapacity,
  takeGrant,
  type FacilityState,
  type Priority,
  type Standing,
} from '../../machines';
import '../support/seed';
import { T0 } from '../support/pathway';

/** Few pathways, so the same one asks again, cancels, leaves and comes back. */
const pathways = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
const idArb = fc.constantFrom(...pathways);

/** What can happen to a facility, as the workflow hears it (plus time passing). */
const opArb = fc.oneof(
  { arbitrary: fc.record({ type: fc.constant('request' as const), pathwayId: idArb, priority: fc.constantFrom<Priority | undefined>(undefined, 'normal', 'urgent') }), weight: 6 },
  { arbitrary: fc.record({ type: fc.constant('cancel' as const), pathwayId: idArb }), weight: 1 },
  // `pick` chooses among occupants first, so most releases and stay ends hit someone.
  { arbitrary: fc.record({ type: fc.constant('release' as const), pick: fc.nat() }), weight: 3 },
  { arbitrary: fc.record({ type: fc.constant('stayEnd' as const), pick: fc.nat(), inDays: fc.integer({ min: -10, max: 120 }) }), weight: 1 },
  // A hospital admission pauses a stay (the place held for some days); the return ends the pause.
  { arbitrary: fc.record({ type: fc.constant('pause' as const), pick: fc.nat(), holdDays: fc.integer({ min: 1, max: 30 }) }), weight: 2 },
  { arbitrary: fc.record({ type: fc.constant('resume' as const), pick: fc.nat() }), weight: 1 },
  // A citizen who lost a place here after a hospital hold asks again, keeping their turn.
  {
    arbitrary: fc.record({
      type: fc.constant('return' as const),
      pathwayId: idArb,
      lostDaysAgo: fc.integer({ min: 0, max: 60 }),
      priority: fc.constantFrom<Priority | undefined>(undefined, 'normal', 'urgent'),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ type: fc.constant('capacity' as const), capacity: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 })) }), weight: 1 },
  { arbitrary: fc.record({ type: fc.constant('advance' as const), hours: fc.integer({ min: 0, max: 30 * 24 }) }), weight: 2 },
  // The grant in flight reached its pathway, or could not be delivered.
  { arbitrary: fc.constant({ type: 'deliver' as const }), weight: 2 },
  { arbitrary: fc.constant({ type: 'refuse' as const }), weight: 1 },
  // A grant attempt outside the loop: must agree with whether a place is free and someone waits.
  { arbitrary: fc.constant({ type: 'grant' as const }), weight: 1 },
);
type Op = typeof opArb extends fc.Arbitrary<infer T> ? T : never;

/** How each grant the loop takes turns out: delivered at once, refused at once, or left in flight. */
const outcomeArb = fc.oneof(
  { arbitrary: fc.constant('delivered' as const), weight: 5 },
  { arbitrary: fc.constant('refused' as const), weight: 1 },
  { arbitrary: fc.constant('pending' as const), weight: 2 },
);

/** A cheap assertion for checks run thousands of times per run; fast-check prints the failing sequence. */
function ok(holds: boolean, broken: string): asserts holds {
  if (!holds) throw new Error(broken);
}
const ids = (xs: readonly { pathwayId: string }[]) => xs.map((x) => x.pathwayId);
const grantable = (s: FacilityState) => s.occupants.length < s.capacity && s.waitlist.length > 0;

/** Situations the sequences must reach, or the properties prove little. */
const reached = new Set<string>();

/** Drives the pure functions the way workflows/facility.ts does, checking the invariants after every step. */
class Facility {
  s: FacilityState;
  now = T0;
  /** The grant the loop is delivering: it takes no other until this one is settled. */
  inFlight: string | undefined;
  /** Occupancy above capacity is allowed only after capacity was lowered below it, until it drops back. */
  overAllowed = false;
  /** Index into `outcomes`, used in turn for each grant. */
  grants = 0;

  constructor(capacity: number, stayDays: number, readonly outcomes: readonly ('delivered' | 'refused' | 'pending')[]) {
    this.s = openFacility({ facilityId: 'f', capacity, stayDays });
  }

  apply(op: Op) {
    const before = this.s;
    const pick = (n: number) => [...ids(before.occupants), ...pathways][n % (before.occupants.length + pathways.length)]!;
    switch (op.type) {
      case 'request': {
        this.s = requestPlace(before, op, this.now);
        this.checkRequest(before, op.pathwayId, op.priority, undefined);
        break;
      }
      case 'return': {
        const lostPlaceAt = this.now - op.lostDaysAgo * DAY;
        this.s = requestPlace(before, { pathwayId: op.pathwayId, priority: op.priority, lostPlaceAt }, this.now);
        this.checkRequest(before, op.pathwayId, op.priority, lostPlaceAt);
        break;
      }
      case 'pause': {
        const o = before.occupants.find((x) => x.pathwayId === pick(op.pick));
        this.s = reportStayEnd(before, { pathwayId: pick(op.pick), endsAt: o?.endsAt ?? this.now, paused: { since: this.now, holdUntil: this.now + op.holdDays * DAY } });
        if (o) reached.add('paused');
        break;
      }
      case 'resume': {
        const o = before.occupants.find((x) => x.pathwayId === pick(op.pick));
        if (o?.paused) {
          this.s = reportStayEnd(before, { pathwayId: o.pathwayId, endsAt: o.endsAt + (this.now - o.paused.since) });
          ok(this.s.occupants.find((x) => x.pathwayId === o.pathwayId)!.paused === undefined, 'a return left the stay paused');
          reached.add('resumed');
        }
        break;
      }
      case 'cancel':
        this.s = cancelRequest(before, op);
        break;
      case 'release':
        this.s = releasePlace(before, { pathwayId: pick(op.pick) });
        if (this.inFlight && this.inFlight === pick(op.pick)) reached.add('released while in flight');
        break;
      case 'stayEnd':
        this.s = reportStayEnd(before, { pathwayId: pick(op.pick), endsAt: this.now + op.inDays * DAY });
        break;
      case 'capacity':
        this.s = setCapacity(before, op.capacity);
        if (op.capacity < before.occupants.length) {
          this.overAllowed = true;
          reached.add('capacity below occupancy');
        }
        break;
      case 'advance':
        this.now += op.hours * HOUR;
        break;
      case 'deliver':
        this.inFlight = undefined;
        break;
      case 'refuse':
        if (this.inFlight) {
          this.s = returnGrant(before, this.inFlight);
          reached.add('refused in flight');
        }
        this.inFlight = undefined;
        break;
      case 'grant': {
        // Outside the loop, a state is never changed by looking: the attempt is discarded.
        const g = takeGrant(before, this.now);
        ok((g !== undefined) === grantable(before), 'a grant exactly when a place is free and someone waits');
        break;
      }
    }
    // Only a grant adds an occupant.
    ok(this.s.occupants.length <= before.occupants.length, 'occupancy grew without a grant');
    this.updateOverAllowed();
    this.invariants();
    this.grantLoop();
  }

  /** As the workflow's loop: while nothing is in flight, grant while a place is free and someone waits. */
  grantLoop() {
    while (!this.inFlight) {
      const before = this.s;
      const g = takeGrant(before, this.now);
      ok((g !== undefined) === grantable(before), 'a grant exactly when a place is free and someone waits');
      if (!g) break;
      // The head of the waitlist gets it, for a full stay from now; the rest keep their order.
      expect(g.pathwayId, 'a grant not to the head of the waitlist').toBe(before.waitlist[0]!.pathwayId);
      expect(g.state.waitlist, 'the others did not keep their order').toEqual(before.waitlist.slice(1));
      expect(g.state.occupants, 'not a full stay from now').toEqual([...before.occupants, { pathwayId: g.pathwayId, since: this.now, endsAt: this.now + before.stayDays * DAY }]);
      ok(g.state.occupants.length <= g.state.capacity, 'a grant above capacity');
      const head = before.waitlist[0]!;
      if (head.priority === 'urgent' && before.waitlist.some((w) => w.priority === 'normal' && w.requestedAt < head.requestedAt)) reached.add('urgent overtook');
      if (head.priority === 'returning' && before.waitlist.some((w) => w.priority === 'normal' && w.requestedAt < head.requestedAt)) reached.add('returner overtook');
      this.s = g.state;
      this.updateOverAllowed();
      this.invariants();
      const outcome = this.outcomes[this.grants++ % this.outcomes.length]!;
      reached.add(`grant ${outcome}`);
      if (outcome === 'refused') {
        const granted = this.s;
        this.s = returnGrant(granted, g.pathwayId);
        expect(ids(this.s.occupants), 'a returned grant kept its place').toEqual(ids(granted.occupants).filter((id) => id !== g.pathwayId));
        this.updateOverAllowed();
        this.invariants();
      } else if (outcome === 'pending') this.inFlight = g.pathwayId;
    }
    // A place is never left free while someone waits (unless a grant is still being delivered).
    ok(this.inFlight !== undefined || this.s.occupants.length >= this.s.capacity || this.s.waitlist.length === 0, 'a place left free while someone waits');
  }

  /**
   * Asking again keeps one's place in line; a priority given this time counts; an occupant is
   * left alone. Urgent wins over a lost place; a returner counts from when it lost the place.
   */
  checkRequest(before: FacilityState, pathwayId: string, priority: Priority | undefined, lostPlaceAt: number | undefined) {
    const was = before.waitlist.find((w) => w.pathwayId === pathwayId);
    const is = this.s.waitlist.find((w) => w.pathwayId === pathwayId);
    const standing: Standing | undefined = priority === 'urgent' ? 'urgent' : lostPlaceAt !== undefined ? 'returning' : priority;
    const since = standing === 'returning' ? lostPlaceAt : undefined;
    if (ids(before.occupants).includes(pathwayId)) {
      expect(this.s, 'an occupant asking again changed something').toEqual(before);
      reached.add('occupant asked again');
    } else if (was) {
      expect(is, 'asking again lost its place in line or the priority given').toEqual({ ...was, priority: standing ?? was.priority, requestedAt: since ?? was.requestedAt });
      if (was.priority === 'normal' && priority === 'urgent') reached.add('raised priority');
    } else {
      // First come first served: a newcomer goes behind everyone of its standing who asked (or lost a place) no later, even at the same instant.
      expect(is, 'a newcomer not waiting from now, or from when it lost its place').toEqual({ pathwayId, requestedAt: since ?? this.now, priority: standing ?? 'normal' });
      const peers = this.s.waitlist.filter((w) => w.priority === is!.priority);
      const at = peers.indexOf(is!);
      ok(peers.slice(at + 1).every((w) => w.requestedAt > is!.requestedAt), 'a newcomer ahead of someone of its standing who came first');
      if (since !== undefined && at < peers.length - 1) reached.add('returner ahead of a later returner');
    }
  }

  updateOverAllowed() {
    if (this.s.occupants.length <= this.s.capacity) this.overAllowed = false;
  }

  invariants() {
    const { s, now } = this;
    // Above capacity only because capacity was lowered, and no grant until below it again.
    ok(s.occupants.length <= s.capacity || this.overAllowed, 'occupancy above capacity without capacity lowered');
    // Nobody twice, nobody both in a place and in line.
    const occupying = ids(s.occupants);
    const waiting = ids(s.waitlist);
    ok(new Set(occupying).size === occupying.length, 'an occupant twice');
    ok(new Set(waiting).size === waiting.length, 'a waiting pathway twice');
    ok(!occupying.some((id) => waiting.includes(id)), 'occupies and waits');
    // Urgent first, then returning, then normal; within each by time of request (or of the lost place).
    const rank: Record<Standing, number> = { urgent: 0, returning: 1, normal: 2 };
    for (let i = 1; i < s.waitlist.length; i++) {
      const [a, b] = [s.waitlist[i - 1]!, s.waitlist[i]!];
      ok(rank[a.priority] <= rank[b.priority], `${a.priority} before ${b.priority}`);
      ok(a.priority !== b.priority || a.requestedAt <= b.requestedAt, 'later request before earlier');
    }
    // The board: everyone waiting, in turn, with dates that never go back and never lie in the past.
    const board = project(s, now);
    ok(ids(board.waitlist).join() === waiting.join() && board.asOf === now, 'the board is not the waitlist as of now');
    board.waitlist.forEach((w, i) => {
      ok(w.projectedAt >= now, 'projected before now');
      ok(i === 0 || w.projectedAt >= board.waitlist[i - 1]!.projectedAt, 'projected date goes back');
      // With no places at all there is no date to promise; with any, everyone gets one.
      ok(Number.isFinite(w.projectedAt) === (s.capacity > 0), 'finite date iff capacity > 0');
    });
    if (s.capacity === 0 && s.waitlist.length > 0) reached.add('waiting at capacity 0');
    // A paused stay's end moves on with the clock, a running one's stays put; the board never shows an end before the reported one.
    const later = project(s, now + DAY);
    for (const o of s.occupants) {
      const [shown, next] = [board.occupants.find((x) => x.pathwayId === o.pathwayId)!, later.occupants.find((x) => x.pathwayId === o.pathwayId)!];
      ok(shown.endsAt >= o.endsAt, 'the board shows a stay ending before its reported end');
      ok(next.endsAt - shown.endsAt === (o.paused && now >= o.paused.since ? DAY : 0), 'a paused end stands still, or a running one moves');
    }
    // Nobody is promised a place held for a citizen in hospital before the hold runs out.
    if (s.occupants.length >= s.capacity && s.capacity > 0 && s.occupants.every((o) => o.paused) && board.waitlist.length > 0) {
      const firstFree = Math.min(...[...s.occupants].sort((a, b) => a.paused!.holdUntil - b.paused!.holdUntil).slice(s.occupants.length - s.capacity).map((o) => o.paused!.holdUntil));
      ok(board.waitlist[0]!.projectedAt >= firstFree, 'a held place promised before its hold runs out');
      reached.add('all places held');
    }
    if (board.waitlist.some((w) => w.projectedAt > now && Number.isFinite(w.projectedAt))) reached.add('projected later');
  }
}

describe('a facility under random sequences of requests, cancels, releases, capacity changes and time', () => {
  it('keeps its invariants after every step, driven as the workflow drives it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 90 }),
        fc.array(outcomeArb, { minLength: 1, maxLength: 20 }),
        fc.array(opArb, { minLength: 50, maxLength: 200 }),
        (capacity, stayDays, outcomes, ops) => {
          const f = new Facility(capacity, stayDays, outcomes);
          f.grantLoop();
          for (const op of ops) f.apply(op);
        },
      ),
      { numRuns: 300 },
    );
    expect([...reached].sort()).toEqual(
      [
        'capacity below occupancy',
        'grant delivered',
        'grant pending',
        'grant refused',
        'occupant asked again',
        'paused',
        'resumed',
        'returner overtook',
        'returner ahead of a later returner',
        'all places held',
        'projected later',
        'raised priority',
        'refused in flight',
        'released while in flight',
        'urgent overtook',
        'waiting at capacity 0',
      ].sort(),
    );
  });
});
