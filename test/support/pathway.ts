import {
  defaultPolicy,
  startPathway,
  step,
  type Actor,
  type Command,
  type PathwaySnapshot,
  type SystemCommand,
  type Effect,
  check,
  DAY,
  type Policy,
} from '../../machines';
import { carer, liaison, outreachWorker, system } from './actors';

export const T0 = Date.UTC(2026, 0, 5, 9); // a Monday morning

/** Drives the pure machine like the workflow does, failing loudly on a refused event. */
export class Pathway {
  effects: Effect[] = [];
  constructor(public snapshot: PathwaySnapshot) {}

  static start(overrides: Partial<Parameters<typeof startPathway>[0]> = {}): Pathway {
    const { snapshot } = startPathway({
      pathwayId: 'p-test',
      citizenRef: 'ref-1',
      team: 'outreach',
      policy: defaultPolicy,
      at: T0,
      by: outreachWorker,
      ...overrides,
    });
    return new Pathway(snapshot);
  }

  /**
   * A pathway carried through outreach, assessment and the waitlist into a stay at skovvang,
   * granted at `grantedAt` (default: a day after T0; the pathway starts two days before it).
   */
  static inStay(o: { policy?: Policy; grantedAt?: number } = {}): Pathway {
    const grantedAt = o.grantedAt ?? T0 + DAY;
    return Pathway.start({ at: grantedAt - DAY, ...(o.policy ? { policy: o.policy } : {}) })
      .send(outreachWorker, { type: 'consent.record', given: true })
      .send(outreachWorker, { type: 'referral.request' })
      .send(liaison, { type: 'handoff.accept' })
      .send(liaison, { type: 'assessment.outcome', outcome: 'care-place' })
      .send(carer, { type: 'handoff.accept' })
      .send(carer, { type: 'waitlist.join', facilityId: 'skovvang' })
      .send(system, { type: 'place.grant', facilityId: 'skovvang' }, grantedAt);
  }

  get c() {
    return this.snapshot.context;
  }

  /** Sends `command` as `by` at `at` (default: one hour after the latest event). */
  send(by: Actor, command: Command | SystemCommand, at = this.c.now + 3_600_000): this {
    const event = { ...command, by, at };
    const refusal = check(this.snapshot, event);
    if (refusal) throw new Error(`refused ${command.type}: ${refusal.reason}`);
    const next = step(this.snapshot, event);
    this.snapshot = next.snapshot;
    this.effects.push(...next.effects);
    return this;
  }

  refusal(by: Actor, command: Command | SystemCommand, at = this.c.now + 3_600_000) {
    return check(this.snapshot, { ...command, by, at });
  }
}
