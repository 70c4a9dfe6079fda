import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema';

/**
 * The citizen-centred half of the evaluation report, from the same cohort (records/reports.ts):
 * goal progress as the citizens rated it, and Holstebro's measure, psychiatric admissions in the
 * 12 months before the pathway against admissions during and after it, as yearly rates.
 */

export interface RecoveryFigures {
  pathwaysWithPlan: number;
  goals: number;
  achieved: number;
  /** Achieved, or rated higher at the latest review than at the first. */
  advanced: number;
  /** advanced / goals; null without goals. */
  advancedShare: number | null;
  byArea: { area: string; goals: number; advanced: number }[];
  /** The citizens' mean rating at their 1st, 2nd, … review of a goal: progress over time. */
  ratingsByReview: { review: number; goals: number; meanRating: number }[];
  yearlyReviews: number;
}

export interface AdmissionFigures {
  /** Pathways whose admissions in the 12 months before were recorded: the ones compared. */
  compared: number;
  before: { admissions: number; days: number };
  /** Admissions recorded during the pathway and a stay's hospital pauses, over `years` of pathway time. */
  since: { admissions: number; days: number; years: number };
  /** Per person and year: before (12 months each) against since; null where no time was observed. */
  perYear: { before: { admissions: number; days: number } | null; since: { admissions: number; days: number } | null };
}

/** Binding cooperation: requests to partners, and whether each was answered within the agreed time. */
export interface CooperationFigures {
  requests: number;
  answered: number;
  answeredInTime: number;
  /** answeredInTime / requests past their due time or answered; null when none. */
  inTimeShare: number | null;
  byPartner: { partnerId: string; requests: number; answeredInTime: number }[];
}

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const epochMs = (e: RawBuilder<unknown>) => sql`(extract(epoch from ${e}) * 1000)::float8`;

export async function recoveryFigures(
  db: Kysely<Database>,
  cohort: RawBuilder<unknown>,
  now: number,
): Promise<{ recovery: RecoveryFigures; admissions: AdmissionFigures; cooperation: CooperationFigures }> {
  const run = <R>(q: RawBuilder<R>) => q.execute(db).then((r) => r.rows);
  const goals = sql`select g->>'area' as area, g->>'outcome' as outcome, g->'ratings' as ratings,
      (g->'ratings'->0->>'rating')::int as first, (g->'ratings'->-1->>'rating')::int as latest
    from c cross join lateral jsonb_array_elements(coalesce(c.record->'goals', '[]'::jsonb)) g`;
  const advanced = sql`(outcome = 'achieved' or latest > first)`;
  const areas = await run(
    sql<{ area: string; goals: number; advanced: number }>`with c as (${cohort}), g as (${goals})
      select area, count(*)::int as goals, count(*) filter (where ${advanced})::int as advanced from g group by area order by area`,
  );
  const [totals] = await run(
    sql<{ with_plan: number; achieved: number; yearly: number }>`with c as (${cohort}), g as (${goals}) select
      (select count(*) from c where jsonb_array_length(coalesce(c.record->'goals', '[]'::jsonb)) > 0)::int as with_plan,
      (select count(*) from g where outcome = 'achieved')::int as achieved,
      (select coalesce(sum(jsonb_array_length(coalesce(c.record->'yearlyReviews', '[]'::jsonb))), 0) from c)::int as yearly`,
  );
  const byReview = await run(
    sql<{ review: number; goals: number; mean: number }>`with c as (${cohort}), g as (${goals})
      select r.n::int as review, count(*)::int as goals, avg((r.v->>'rating')::int)::float8 as mean
      from g cross join lateral jsonb_array_elements(g.ratings) with ordinality r(v, n) group by r.n order by r.n`,
  );

  // Per compared pathway: the year before as recorded, and what came since, with the time it covers.
  const pauses = sql`from jsonb_array_elements(c.record->'stays') st cross join lateral jsonb_array_elements(st->'pauses') p`;
  const [a] = await run(
    sql<Record<string, number | null>>`with c as (${cohort}), a as (select
        (c.record->'admissionsBefore'->>'count')::int as before_n,
        (c.record->'admissionsBefore'->>'days')::int as before_days,
        jsonb_array_length(coalesce(c.record->'admissions', '[]'::jsonb)) + (select count(*) ${pauses}) as since_n,
        coalesce((select sum((x->>'days')::int) from jsonb_array_elements(coalesce(c.record->'admissions', '[]'::jsonb)) x), 0)
          + coalesce((select sum(coalesce((p->>'to')::float8, (st->>'endedAt')::float8, ${now}) - (p->>'from')::float8) ${pauses}), 0) / ${DAY} as since_days,
        (coalesce(${epochMs(sql`c.closed_at`)}, ${now}) - ${epochMs(sql`c.opened_at`)}) / ${YEAR} as years
      from c where jsonb_typeof(c.record->'admissionsBefore') = 'object')
      select count(*)::int as compared, coalesce(sum(before_n), 0)::int as before_n, coalesce(sum(before_days), 0)::float8 as before_days,
        coalesce(sum(since_n), 0)::int as since_n, coalesce(sum(since_days), 0)::float8 as since_days, coalesce(sum(years), 0)::float8 as years
      from a`,
  );
  // Withdrawn requests count for nothing; one still open but not yet due is not judged yet.
  const partners = await run(
    sql<{ partner: string; requests: number; answered: number; in_time: number; judged: number }>`with c as (${cohort}),
      r as (select x->>'partnerId' as partner, (x->>'dueAt')::float8 as due, (x->>'answeredAt')::float8 as answered
        from c cross join lateral jsonb_array_elements(coalesce(c.record->'partnerRequests', '[]'::jsonb)) x where x->>'withdrawnAt' is null)
      select partner, count(*)::int as requests, count(answered)::int as answered, count(*) filter (where answered <= due)::int as in_time,
        count(*) filter (where answered is not null or due <= ${now})::int as judged
      from r group by partner order by partner`,
  );
  const sum = (k: 'requests' | 'answered' | 'in_time' | 'judged') => partners.reduce((s, r) => s + Number(r[k]), 0);

  const n = (k: string) => Number(a?.[k] ?? 0);
  const goalCount = areas.reduce((s, r) => s + Number(r.goals), 0);
  const advancedCount = areas.reduce((s, r) => s + Number(r.advanced), 0);
  return {
    recovery: {
      pathwaysWithPlan: Number(totals?.with_plan ?? 0),
      goals: goalCount,
      achieved: Number(totals?.achieved ?? 0),
      advanced: advancedCount,
      advancedShare: goalCount ? advancedCount / goalCount : null,
      byArea: areas.map((r) => ({ area: r.area, goals: Number(r.goals), advanced: Number(r.advanced) })),
      ratingsByReview: byReview.map((r) => ({ review: Number(r.review), goals: Number(r.goals), meanRating: Number(r.mean) })),
      yearlyReviews: Number(totals?.yearly ?? 0),
    },
    admissions: {
      compared: n('compared'),
      before: { admissions: n('before_n'), days: n('before_days') },
      since: { admissions: n('since_n'), days: n('since_days'), years: n('years') },
      perYear: {
        before: n('compared') ? { admissions: n('before_n') / n('compared'), days: n('before_days') / n('compared') } : null,
        since: n('years') > 0 ? { admissions: n('since_n') / n('years'), days: n('since_days') / n('years') } : null,
      },
    },
    cooperation: {
      requests: sum('requests'),
      answered: sum('answered'),
      answeredInTime: sum('in_time'),
      inTimeShare: sum('judged') ? sum('in_time') / sum('judged') : null,
      byPartner: partners.map((r) => ({ partnerId: r.partner, requests: Number(r.requests), answeredInTime: Number(r.in_time) })),
    },
  };
}

/** The figures as `section,measure,value` lines of the report's CSV. */
export function recoveryCsvLines(r: { recovery: RecoveryFigures; admissions: AdmissionFigures; cooperation: CooperationFigures }): [string, string, number | null][] {
  const { recovery: g, admissions: a, cooperation: p } = r;
  return [
    ['recovery plan', 'pathways with a plan', g.pathwaysWithPlan],
    ['recovery plan', 'goals', g.goals],
    ['recovery plan', 'goals achieved', g.achieved],
    ['recovery plan', 'goals advanced', g.advanced],
    ['recovery plan', 'share of goals advanced', g.advancedShare],
    ['recovery plan', 'yearly reviews held', g.yearlyReviews],
    ...g.byArea.map((x): [string, string, number] => ['goals advanced by life area', x.area, x.advanced]),
    ...g.ratingsByReview.map((x): [string, string, number] => ['mean rating by review', `review ${x.review}`, x.meanRating]),
    ['admissions', 'pathways compared', a.compared],
    ['admissions', 'before: admissions in the 12 months before', a.before.admissions],
    ['admissions', 'before: admission days', a.before.days],
    ['admissions', 'since: admissions during and after the stay', a.since.admissions],
    ['admissions', 'since: admission days', a.since.days],
    ['admissions', 'since: years observed', a.since.years],
    ['admissions per person and year', 'before', a.perYear.before?.admissions ?? null],
    ['admissions per person and year', 'since', a.perYear.since?.admissions ?? null],
    ['admission days per person and year', 'before', a.perYear.before?.days ?? null],
    ['admission days per person and year', 'since', a.perYear.since?.days ?? null],
    ['partner requests', 'requests', p.requests],
    ['partner requests', 'answered', p.answered],
    ['partner requests', 'answered in time', p.answeredInTime],
    ['partner requests', 'share answered in time', p.inTimeShare],
    ...p.byPartner.map((x): [string, string, number] => ['partner requests answered in time', x.partnerId, x.answeredInTime]),
  ];
}
