import type { PartnerRequest } from './circle';
import type { PathwayContext } from './context';
import type { PathwayEvent } from './events';

/**
 * The citizen's side of a pathway's record (machines/case-record.ts): what the reports count of
 * the plan, admissions and partner requests, without the citizen's words. Pure.
 */
export interface PlanHistory {
  /** The plan's goals without their words: life area, when set and closed, and the citizen's ratings. */
  goals: { id: string; area: string; setAt: number; closedAt: number | null; outcome: 'achieved' | 'dropped' | null; ratings: { at: number; rating: number }[] }[];
  yearlyReviews: { at: number }[];
  /** Psychiatric admissions in the 12 months before the pathway, as recorded. */
  admissionsBefore: { count: number; days: number } | null;
  /** Admissions recorded during the pathway (a stay's hospital pauses are in `stays`). */
  admissions: { admittedAt: number; days: number }[];
  /** Requests to partners under their agreed response time: answered in time or not. */
  partnerRequests: { id: string; partnerId: string; requestedAt: number; dueAt: number; answeredAt: number | null; withdrawnAt: number | null }[];
}

const requestRecord = (r: PartnerRequest): PlanHistory['partnerRequests'][number] => ({
  id: r.id,
  partnerId: r.partnerId,
  requestedAt: r.requestedAt,
  dueAt: r.dueAt,
  answeredAt: r.answeredAt,
  withdrawnAt: r.withdrawnAt,
});

/** What the context still holds, for a pathway first seen mid-way (or new). */
export function startPlanHistory(c: PathwayContext): PlanHistory {
  return {
    goals: (c.plan?.goals ?? []).map((g) => ({
      id: g.id,
      area: g.area,
      setAt: g.setAt,
      closedAt: g.closed?.at ?? null,
      outcome: g.closed?.outcome ?? null,
      ratings: g.reviews.map((r) => ({ at: r.at, rating: r.rating })),
    })),
    yearlyReviews: c.yearlyReviewedAt ? [{ at: c.yearlyReviewedAt }] : [],
    admissionsBefore: c.admissions?.before ? { count: c.admissions.before.count, days: c.admissions.before.days } : null,
    admissions: c.admissions?.during ?? [],
    partnerRequests: (c.circle?.requests ?? []).map(requestRecord),
  };
}

/** Whether a step changed it: worth writing the record then, as with a new stage. Unchanged parts keep their identity. */
export const planChanged = (h0: PlanHistory, h1: PlanHistory) =>
  h0.goals !== h1.goals ||
  h0.yearlyReviews !== h1.yearlyReviews ||
  h0.admissionsBefore !== h1.admissionsBefore ||
  h0.admissions !== h1.admissions ||
  h0.partnerRequests !== h1.partnerRequests;

/** `h` after `event` took the context from `c0` to `c1`. */
export function nextPlanHistory(h: PlanHistory, c0: PathwayContext, c1: PathwayContext, event: PathwayEvent): PlanHistory {
  const at = event.at;
  let next = h;
  // Partner requests: each as the pathway now holds it; ones it no longer holds stay as recorded.
  if (c0.circle?.requests !== c1.circle?.requests) {
    const now = new Map((c1.circle?.requests ?? []).map((r) => [r.id, requestRecord(r)]));
    const kept = next.partnerRequests.map((r) => now.get(r.id) ?? r);
    const added = [...now.values()].filter((r) => !next.partnerRequests.some((x) => x.id === r.id));
    next = { ...next, partnerRequests: [...kept, ...added] };
  }
  switch (event.type) {
    case 'goal.add': {
      const goal = c1.plan?.goals.at(-1);
      if (goal) next = { ...next, goals: [...next.goals, { id: goal.id, area: goal.area, setAt: at, closedAt: null, outcome: null, ratings: [] }] };
      break;
    }
    case 'goal.review':
      next = { ...next, goals: next.goals.map((g) => (g.id === event.goalId ? { ...g, ratings: [...g.ratings, { at, rating: event.rating }] } : g)) };
      break;
    case 'goal.close':
      next = { ...next, goals: next.goals.map((g) => (g.id === event.goalId ? { ...g, closedAt: at, outcome: event.outcome } : g)) };
      break;
    case 'review.yearly':
      next = { ...next, yearlyReviews: [...next.yearlyReviews, { at }] };
      break;
    case 'admissions.before':
      next = { ...next, admissionsBefore: { count: event.count, days: event.days } };
      break;
    case 'admission.record':
      next = { ...next, admissions: [...next.admissions, { admittedAt: event.admittedAt, days: event.days }] };
      break;
  }
  return next;
}
