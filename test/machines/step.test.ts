import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { pathwayMachine, step } from '../../machines';
import { statesNear } from '../support/every-event';

describe('step', () => {
  it("agrees with xstate's transition() on every event from every state three steps in", () => {
    let compared = 0;
    for (const { state, events } of statesNear(3)) {
      for (const event of events) {
        const [next, actions] = transition(pathwayMachine, state, event);
        const stepped = step(state, event);
        expect(stepped.snapshot.value).toEqual(next.value);
        expect(stepped.snapshot.status).toBe(next.status);
        expect(stepped.snapshot.context).toEqual(next.context);
        const emitted = (actions as { type: string; params?: unknown }[]).filter((a) => a.type === 'xstate.emit');
        expect(stepped.effects).toEqual(emitted.map((a) => (a.params as { event: unknown }).event));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5_000);
  });
});
