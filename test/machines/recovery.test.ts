import { describe, expect, it } from 'vitest';
import { DAY, MAX_OPEN_GOALS, viewOf, type Command, type Effect, type Policy } from '../../machines';
import { member, outreachWorker, stranger, system } from '../support/actors';
import { Pathway, T0 } from '../support/pathway';

const tick = (p: Pathway, when: number) => p.send(system, { type: 'clock.tick' }, when);
const notices = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'notify' ? [`${e.kind}@${new Date(e.dueAt).toISOString().slice(0, 10)}`] : []));
const goal = (reviewAt: number, more: Partial<Extract<Command, { type: 'goal.add' }>> = {}): Command => ({
  type: 'goal.add',
  goal: 'a flat of my own, with my cat',
  area: 'housing',
  reviewAt,
  ...more,
});

describe('the recovery plan', () => {
  it('keeps goals in the citizen’s words, numbered, with the citizen’s ratings at each review', () => {
    const p = Pathway.start()
      .send(outreachWorker, goal(T0 + 30 * DAY, { steps: 'apply at the housing office', helpers: 'my sister; the peer worker' }))
      .send(outreachWorker, goal(T0 + 20 * DAY, { goal: 'sleep through the night', area: 'health' }))
      .send(outreachWorker, { type: 'goal.review', goalId: 'goal-1', rating: 4, note: 'applied', nextReviewAt: T0 + 60 * DAY }, T0 + 10 * DAY)
      .send(outreachWorker, { type: 'goal.review', goalId: 'goal-1', rating: 7, nextReviewAt: T0 + 90 * DAY }, T0 + 50 * DAY)
      .send(outreachWorker, { type: 'goal.close', goalId: 'goal-2', outcome: 'achieved' }, T0 + 51 * DAY);
    const view = viewOf(p.snapshot, outreachWorker);
    expect(view.goals.map((g) => [g.id, g.area, g.reviewAt, g.reviews.map((r) => r.rating), g.closed?.outcome ?? null])).toEqual([
      ['goal-1', 'housing', T0 + 90 * DAY, [4, 7], null],
      ['goal-2', 'health', T0 + 20 * DAY, [], 'achieved'],
    ]);
    expect(view.goals[0]).toMatchObject({ text: 'a flat of my own, with my cat', steps: 'apply at the housing office', helpers: 'my sister; the peer worker' });
    // The same rules and the same trail as every action.
    expect(p.c.audit.filter((e) => e.type.startsWith('goal.')).map((e) => e.type)).toEqual(['goal.add', 'goal.add', 'goal.review', 'goal.review', 'goal.close']);
  });

  it('reminds the team before a review, and flags a missed one until it is held', () => {
    const p = Pathway.start().send(outreachWorker, { type: 'contact.log', outcome: 'reached' }).send(outreachWorker, goal(T0 + 10 * DAY));
    tick(p, T0 + 9 * DAY);
    expect(notices(p.effects)).toEqual(['review-reminder@2026-01-08']);
    expect(viewOf(p.snapshot, outreachWorker).flags).not.toContain('review-missed');
    tick(p, T0 + 10 * DAY);
    expect(viewOf(p.snapshot, outreachWorker).flags).toContain('review-missed');
    expect(notices(p.effects)).toContain('review-due@2026-01-15');
    p.send(outreachWorker, { type: 'goal.review', goalId: 'goal-1', rating: 5, nextReviewAt: T0 + 40 * DAY });
    expect(viewOf(p.snapshot, outreachWorker).flags).not.toContain('review-missed');
    // A closed goal is reviewed no more.
    p.send(outreachWorker, { type: 'goal.close', goalId: 'goal-1', outcome: 'dropped' });
    expect(viewOf(p.snapshot, outreachWorker).deadlines.map((d) => d.kind)).not.toContain('review-due');
  });

  it('refuses a review date in the past or over a year ahead, an unknown or closed goal, and a fourteenth open goal', () => {
    const p = Pathway.start().send(outreachWorker, goal(T0 + 10 * DAY));
    const now = p.c.now + 3_600_000;
    expect(p.refusal(outreachWorker, goal(now - DAY))?.why).toEqual({ key: 'review-date-invalid', params: { days: 366 } });
    expect(p.refusal(outreachWorker, goal(now + 400 * DAY))?.why.key).toBe('review-date-invalid');
    expect(p.refusal(outreachWorker, { type: 'goal.review', goalId: 'goal-9', rating: 5, nextReviewAt: now + DAY })?.why).toEqual({
      key: 'unknown-goal',
      params: { goalId: 'goal-9' },
    });
    p.send(outreachWorker, { type: 'goal.close', goalId: 'goal-1', outcome: 'achieved' });
    expect(p.refusal(outreachWorker, { type: 'goal.close', goalId: 'goal-1', outcome: 'dropped' })?.why.key).toBe('goal-closed');
    for (let i = 0; i < MAX_OPEN_GOALS; i++) p.send(outreachWorker, goal(T0 + 30 * DAY));
    expect(p.refusal(outreachWorker, goal(T0 + 30 * DAY))?.why).toEqual({ key: 'too-many-goals', params: { max: MAX_OPEN_GOALS } });
    // Only the responsible team writes the plan.
    expect(p.refusal(stranger, { type: 'goal.review', goalId: 'goal-2', rating: 5, nextReviewAt: T0 + 30 * DAY })?.why.key).toBe('not-responsible-team');
  });

  it('keeps a long-lived plan small: closed goals leave the state, ids are never reused', () => {
    const p = Pathway.start();
    for (let i = 0; i < 40; i++) {
      p.send(outreachWorker, goal(p.c.now + 30 * DAY));
      p.send(outreachWorker, { type: 'goal.close', goalId: `goal-${i + 1}`, outcome: 'achieved' });
    }
    expect(p.c.plan!.goals.length).toBeLessThanOrEqual(2 * MAX_OPEN_GOALS);
    p.send(outreachWorker, goal(p.c.now + 30 * DAY));
    expect(p.c.plan!.goals.at(-1)!.id).toBe('goal-41');
  });
});

describe('the yearly review', () => {
  it('falls due a year after the start, is flagged until held, then falls due a year later', () => {
    const p = Pathway.start().send(outreachWorker, { type: 'contact.log', outcome: 'reached' });
    expect(viewOf(p.snapshot, outreachWorker).deadlines.find((d) => d.kind === 'yearly-review')?.at).toBe(T0 + 365 * DAY);
    tick(p, T0 + 366 * DAY);
    expect(viewOf(p.snapshot, outreachWorker).flags).toContain('yearly-review-due');
    p.send(outreachWorker, { type: 'review.yearly', note: 'three of four goals advanced' });
    const view = viewOf(p.snapshot, outreachWorker);
    expect(view.flags).not.toContain('yearly-review-due');
    expect(view.deadlines.find((d) => d.kind === 'yearly-review')?.at).toBe(p.c.now + 365 * DAY);
  });

  it('does not fall due in a pathway started under a policy from before it (its run never had the timer)', () => {
    const { recovery: _, ...older } = Pathway.start().c.policy;
    const p = Pathway.start({ policy: older as Policy });
    expect(viewOf(p.snapshot, outreachWorker).deadlines.map((d) => d.kind)).not.toContain('yearly-review');
  });
});

describe('the staff-safety marker', () => {
  it('is shown as a generic flag with precautions for visiting staff, due for review on its date, and cleared with a reason', () => {
    const p = Pathway.start().send(outreachWorker, { type: 'safety.set', concern: 'violence-risk', precautions: 'visit two together', reviewAt: T0 + 30 * DAY });
    const view = viewOf(p.snapshot, member('outreach', 2));
    expect(view.flags).toContain('safety-marker');
    expect(view.safety).toMatchObject({ concern: 'violence-risk', precautions: 'visit two together', setBy: outreachWorker.id, reviewAt: T0 + 30 * DAY });
    tick(p, T0 + 31 * DAY);
    expect(viewOf(p.snapshot, outreachWorker).flags).toContain('safety-review-due');
    p.send(outreachWorker, { type: 'safety.clear', reason: 'no incidents since spring' });
    expect(viewOf(p.snapshot, outreachWorker).flags.filter((f) => f.startsWith('safety'))).toEqual([]);
    expect(p.refusal(outreachWorker, { type: 'safety.clear', reason: 'again' })?.why.key).toBe('no-safety-marker');
  });
});

describe('admissions before and during', () => {
  it('records the year before, and admissions during the pathway dated between its start and now', () => {
    const p = Pathway.start().send(outreachWorker, { type: 'admissions.before', count: 3, days: 41 });
    p.send(outreachWorker, { type: 'admission.record', admittedAt: T0 + 2 * DAY, days: 6 }, T0 + 20 * DAY);
    expect(viewOf(p.snapshot, outreachWorker).admissions).toEqual({
      before: { count: 3, days: 41, recordedAt: T0 + 3_600_000 },
      during: [{ admittedAt: T0 + 2 * DAY, days: 6 }],
    });
    expect(p.refusal(outreachWorker, { type: 'admission.record', admittedAt: T0 - DAY, days: 2 })?.why.key).toBe('admission-date-invalid');
    expect(p.refusal(outreachWorker, { type: 'admission.record', admittedAt: p.c.now + 5 * DAY, days: 2 })?.why.key).toBe('admission-date-invalid');
    expect(p.refusal(outreachWorker, { type: 'admissions.before', count: 0, days: 4 })?.why.key).toBe('admission-days-invalid');
  });
});
