import type { PathwayContext } from './context';
import type { EventOf, PathwayEvent } from './events';
import { refuse, type Refusal } from './refusals';
import { DAY } from './time';

/**
 * The citizen's own side of the pathway (docs/domain.md, "The citizen at the centre"): a recovery
 * plan of goals in their words with their own rating at each review, the staff-safety marker, and
 * the psychiatric admissions the before/after measure compares. Pure: the machine's actions call
 * `recoveryStep`, its rules call `recoveryRefusal`, and deadlines.ts reads the review dates.
 */

export const lifeAreas = ['housing', 'health', 'network', 'occupation', 'daily-life'] as const;
export type LifeArea = (typeof lifeAreas)[number];

export interface GoalReview {
  at: number;
  by: string;
  /** The citizen's own rating of their progress, 1 (none) to 10 (there). */
  rating: number;
  note?: string;
}

export interface Goal {
  /** `goal-<n>`, numbered in the pathway: no text of the goal in ids or URLs. */
  id: string;
  /** In the citizen's own words. */
  text: string;
  area: LifeArea;
  steps?: string;
  /** Who helps: people, not accounts (a sister, the peer worker, the job centre). */
  helpers?: string;
  setAt: number;
  setBy: string;
  /** The agreed date of the next review. */
  reviewAt: number;
  /** The newest reviews (at most REVIEWS_KEPT); every review is in the record store. */
  reviews: GoalReview[];
  closed: { at: number; outcome: 'achieved' | 'dropped' } | null;
}

export interface RecoveryPlan {
  goals: Goal[];
  /** Goals written in all, so ids are never reused. */
  goalCount: number;
}

export interface SafetyMarker {
  concern: 'violence-risk' | 'threats' | 'other';
  /** What staff do about it, e.g. "visit two together". */
  precautions: string;
  setAt: number;
  setBy: string;
  reviewAt: number;
}

export interface Admissions {
  /** Psychiatric admissions in the 12 months before the pathway, as the citizen or the region told it. */
  before: { count: number; days: number; recordedAt: number } | null;
  /** Admissions recorded during the pathway besides a stay's own hospital pauses, at most ADMISSIONS_KEPT. */
  during: { admittedAt: number; days: number }[];
}

/** Open goals a plan may hold: a plan is a few goals, and the pathway's state must stay small. */
export const MAX_OPEN_GOALS = 12;
const REVIEWS_KEPT = 12;
const ADMISSIONS_KEPT = 50;
/** How far ahead a review date may be agreed. */
export const REVIEW_DAYS_AHEAD = 366;

export const openGoals = (c: PathwayContext) => c.plan?.goals.filter((g) => g.closed === null) ?? [];
const goalOf = (c: PathwayContext, id: string) => c.plan?.goals.find((g) => g.id === id);

const reviewDateRefusal = (at: number, reviewAt: number) =>
  reviewAt <= at || reviewAt > at + REVIEW_DAYS_AHEAD * DAY ? refuse('review-date-invalid', { days: REVIEW_DAYS_AHEAD }) : undefined;

function goalRefusal(c: PathwayContext, id: string): Refusal | undefined {
  const goal = goalOf(c, id);
  if (!goal) return refuse('unknown-goal', { goalId: id });
  return goal.closed ? refuse('goal-closed', { goalId: id }) : undefined;
}

/** Why the recovery event `e` does not fit this pathway; undefined where it does. */
export function recoveryRefusal(c: PathwayContext, e: PathwayEvent): Refusal | undefined {
  switch (e.type) {
    case 'goal.add':
      return openGoals(c).length >= MAX_OPEN_GOALS ? refuse('too-many-goals', { max: MAX_OPEN_GOALS }) : reviewDateRefusal(e.at, e.reviewAt);
    case 'goal.review':
      return goalRefusal(c, e.goalId) ?? reviewDateRefusal(e.at, e.nextReviewAt);
    case 'goal.close':
      return goalRefusal(c, e.goalId);
    case 'safety.set':
      return reviewDateRefusal(e.at, e.reviewAt);
    case 'admissions.before':
      return e.count === 0 && e.days > 0 ? refuse('admission-days-invalid') : undefined;
    case 'admission.record':
      // During the pathway: not before it began, never ahead.
      return e.admittedAt < c.createdAt || e.admittedAt > e.at ? refuse('admission-date-invalid') : undefined;
    default:
      return undefined;
  }
}

export const recoveryEventTypes = ['goal.add', 'goal.review', 'goal.close', 'review.yearly', 'safety.set', 'safety.clear', 'admissions.before', 'admission.record'] as const;
type RecoveryEvent = EventOf<(typeof recoveryEventTypes)[number]>;
export const isRecoveryEvent = (e: PathwayEvent): e is RecoveryEvent => (recoveryEventTypes as readonly string[]).includes(e.type);

const plan = (c: PathwayContext): RecoveryPlan => c.plan ?? { goals: [], goalCount: 0 };
const admissions = (c: PathwayContext): Admissions => c.admissions ?? { before: null, during: [] };
const withGoal = (c: PathwayContext, id: string, change: (g: Goal) => Goal) => ({
  plan: { ...plan(c), goals: plan(c).goals.map((g) => (g.id === id ? change(g) : g)) },
});

/** What an accepted recovery event changes in the context. */
export function recoveryStep(c: PathwayContext, e: RecoveryEvent): Partial<PathwayContext> {
  const note = 'note' in e && e.note ? { note: e.note } : {};
  switch (e.type) {
    case 'goal.add': {
      const p = plan(c);
      const goal: Goal = {
        id: `goal-${p.goalCount + 1}`,
        text: e.goal,
        area: e.area,
        ...(e.steps ? { steps: e.steps } : {}),
        ...(e.helpers ? { helpers: e.helpers } : {}),
        setAt: e.at,
        setBy: e.by.id,
        reviewAt: e.reviewAt,
        reviews: [],
        closed: null,
      };
      // Closed goals leave the state once there are many: the record store keeps them.
      const kept = p.goals.filter((g) => g.closed === null || p.goals.length < 2 * MAX_OPEN_GOALS);
      return { plan: { goals: [...kept, goal], goalCount: p.goalCount + 1 } };
    }
    case 'goal.review':
      return withGoal(c, e.goalId, (g) => ({
        ...g,
        reviewAt: e.nextReviewAt,
        reviews: [...g.reviews, { at: e.at, by: e.by.id, rating: e.rating, ...note }].slice(-REVIEWS_KEPT),
      }));
    case 'goal.close':
      return withGoal(c, e.goalId, (g) => ({ ...g, closed: { at: e.at, outcome: e.outcome } }));
    case 'safety.set':
      return { safety: { concern: e.concern, precautions: e.precautions, setAt: e.at, setBy: e.by.id, reviewAt: e.reviewAt } };
    case 'safety.clear':
      return { safety: null };
    case 'admissions.before':
      return { admissions: { ...admissions(c), before: { count: e.count, days: e.days, recordedAt: e.at } } };
    case 'admission.record':
      return { admissions: { ...admissions(c), during: [...admissions(c).during, { admittedAt: e.admittedAt, days: e.days }].slice(-ADMISSIONS_KEPT) } };
    case 'review.yearly':
      return { yearlyReviewedAt: e.at };
  }
}
