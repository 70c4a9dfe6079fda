import { describe, expect, it } from 'vitest';
import { DAY, project, type FacilityState } from '../../machines';

const now = Date.UTC(2026, 0, 5);
const state = (o: Partial<FacilityState>): FacilityState => ({ facilityId: 'f', capacity: 2, stayDays: 56, occupants: [], waitlist: [], ...o });
const occupant = (id: string, endsInDays: number) => ({ pathwayId: id, since: now - DAY, endsAt: now + endsInDays * DAY });
const waiting = (id: string) => ({ pathwayId: id, requestedAt: now, priority: 'normal' as const });

describe('waitlist projection', () => {
  it('gives free places now and full ones when their stays end, then chains full stays', () => {
    const board = project(state({ occupants: [occupant('a', 10)], waitlist: [waiting('w1'), waiting('w2'), waiting('w3')] }), now);
    expect(board.waitlist.map((w) => (w.projectedAt - now) / DAY)).toEqual([0, 10, 56]);
  });

  it('does not promise places above a lowered capacity', () => {
    const board = project(state({ capacity: 1, occupants: [occupant('a', 10), occupant('b', 20)], waitlist: [waiting('w1')] }), now);
    expect((board.waitlist[0]!.projectedAt - now) / DAY).toBe(20);
    const closed = project(state({ capacity: 0, occupants: [occupant('a', 10)], waitlist: [waiting('w1')] }), now);
    expect(closed.waitlist[0]!.projectedAt).toBe(Number.POSITIVE_INFINITY);
  });
});
