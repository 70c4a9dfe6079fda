import { check, defaultPolicy, startPathway, step, SYSTEM, type PathwayEvent, type PathwaySnapshot } from '../../machines';
import { member } from '../../test/support/actors';
import type { Row } from '../report';

/**
 * The machine alone, no Temporal: what one accepted action costs the workflow in CPU. It does
 * what the Update does: the validator ticks the clock and checks, the handler checks and steps.
 * The floor no round trip through Temporal can beat.
 */
export function machineCost(noopUpdateP50Ms: number): Row {
  const by = member('outreach');
  const fresh = () => startPathway({ pathwayId: 'bench', citizenRef: 'ref', team: 'outreach', by, policy: defaultPolicy, at: Date.UTC(2026, 0, 5) }).snapshot;
  const one = (s: PathwaySnapshot, at: number): PathwaySnapshot => {
    const event: PathwayEvent = { type: 'note.add', text: 'bench', by, at };
    const ticked = step(s, { type: 'clock.tick', by: SYSTEM, at }).snapshot;
    if (check(ticked, event) || check(s, event)) throw new Error('the bench note was refused');
    return step(ticked, event).snapshot;
  };
  // A pathway of a few dozen actions, started again so the audit trail stays of ordinary length.
  const run = (n: number) => {
    let s = fresh();
    for (let i = 0; i < n; i++) {
      if (i % 50 === 0) s = fresh();
      s = one(s, s.context.now + 60_000);
    }
  };
  run(2_000); // warm-up for the JIT
  const n = 20_000;
  const t0 = performance.now();
  run(n);
  const perActionMs = (performance.now() - t0) / n;
  return {
    section: 'machine',
    measure: 'one action in the pure machine (check + step, no Temporal)',
    value: perActionMs * 1000,
    unit: 'µs',
    better: 'lower',
    baseline: { label: 'no-op Update p50', value: noopUpdateP50Ms * 1000 },
  };
}
