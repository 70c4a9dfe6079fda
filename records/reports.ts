import { csv } from './csv';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { recoveryCsvLines, recoveryFigures, type AdmissionFigures, type CooperationFigures, type RecoveryFigures } from './recovery-report';
import type { Database } from './schema';

/**
 * What the municipalities' evaluations report, computed in SQL from `pathway_records` (the
 * `record` column, PathwayHistorySchema). A report covers the pathways opened in the period
 * [from, to) (a cohort, followed to wherever it is now), of the given teams, and with a
 * facility, only those that stayed there and only their stays there. Durations are in days.
 *
 * Conventions of the record it relies on: stages are the machine's (`waiting`, `followUp`…);
 * a wait is a completed `waiting` stage; a discharge to housing is reaching `followUp`; a
 * stay's pauses are its hospital admissions; `endReason: 'hold-expired'` is a place released
 * after the hospital hold. A stay ended within the limit when its clock (length less the
 * pauses) stayed within `limitDays` plus its approved extensions.
 */
export interface ReportFilter {
  from: number;
  to: number;
  /** Pathways of these teams only; absent: every team. */
  teams?: readonly string[];
  facility?: string;
  /** The stay limit in days (the policy's, 56 by default). */
  limitDays?: number;
  /** The end of time still open for pathways not yet closed (default: now). */
  now?: number;
}

export interface Spread {
  count: number;
  /** null when count is 0. */
  mean: number | null;
  median: number | null;
  max: number | null;
}

export interface Report {
  period: { from: number; to: number };
  pathways: number;
  reached: number;
  consentGiven: number;
  referred: number;
  assessmentOutcomes: { 'care-place': number; 'other-offer': number; 'no-need': number };
  waits: Spread;
  stays: Spread & {
    ended: number;
    /** Of the ended stays, the share whose clock stayed within the limit and its extensions; null when none ended. */
    withinLimitShare: number | null;
    extensionsRequested: number;
    extensionsApproved: number;
    hospitalAdmissions: number;
    releasedAfterHold: number;
  };
  dischargedToHousing: number;
  followUpOutcomes: { stable: number; readmitted: number };
  /** Completed visits of each stage. */
  timeInStage: ({ stage: string } & Spread)[];
  closures: { reason: string; count: number }[];
  /** Goal progress and admissions before against after: records/recovery-report.ts. */
  recovery: RecoveryFigures;
  admissions: AdmissionFigures;
  cooperation: CooperationFigures;
}

const DAY = 86_400_000;
const ms = (e: RawBuilder<unknown>) => sql`(${e})::bigint`;
const days = (e: RawBuilder<unknown>) => sql`((${e})::float8 / ${DAY})`;
const spreadOf = (d: RawBuilder<unknown>) =>
  sql`count(${d})::int as count, avg(${d})::float8 as mean, (percentile_cont(0.5) within group (order by ${d}))::float8 as median, max(${d})::float8 as max`;
type SpreadRow = { count: number; mean: number | null; median: number | null; max: number | null };
const spread = (r: SpreadRow | undefined): Spread => ({ count: Number(r?.count ?? 0), mean: r?.mean ?? null, median: r?.median ?? null, max: r?.max ?? null });

/** The cohort, as the CTE every query starts from. */
export const cohortOf = (f: ReportFilter) => sql`select pathway_id, record, opened_at, closed_at, closure_reason from pathway_records
    where opened_at >= ${new Date(f.from)} and opened_at < ${new Date(f.to)}
    ${f.teams ? (f.teams.length ? sql`and team in (${sql.join([...f.teams])})` : sql`and false`) : sql``}
    ${f.facility === undefined ? sql`` : sql`and exists (select 1 from jsonb_array_elements(record->'stays') s where s->>'facilityId' = ${f.facility})`}`;

export async function computeReport(db: Kysely<Database>, f: ReportFilter): Promise<Report> {
  const limit = f.limitDays ?? 56;
  const cohort = cohortOf(f);
  const run = <R>(q: RawBuilder<R>) => q.execute(db).then((r) => r.rows);

  const [totals] = await run(
    sql<Record<string, number>>`with c as (${cohort}) select
      count(*)::int as pathways,
      count(record->>'firstReachedAt')::int as reached,
      count(record->>'consentGivenAt')::int as consent,
      count(record->>'referredAt')::int as referred,
      count(*) filter (where record->>'assessmentOutcome' = 'care-place')::int as care_place,
      count(*) filter (where record->>'assessmentOutcome' = 'other-offer')::int as other_offer,
      count(*) filter (where record->>'assessmentOutcome' = 'no-need')::int as no_need,
      count(*) filter (where record->>'followUpOutcome' = 'stable')::int as stable,
      count(*) filter (where record->>'followUpOutcome' = 'readmitted')::int as readmitted,
      count(*) filter (where exists (select 1 from jsonb_array_elements(record->'stages') s where s->>'stage' = 'followUp'))::int as housed
      from c`,
  );

  const waitDays = days(sql`${ms(sql`s->>'leftAt'`)} - ${ms(sql`s->>'enteredAt'`)}`);
  const [waits] = await run(
    sql<SpreadRow>`with c as (${cohort}) select ${spreadOf(waitDays)}
      from c cross join lateral jsonb_array_elements(c.record->'stages') s
      where s->>'stage' = 'waiting' and s->>'leftAt' is not null`,
  );

  // One row per stay: its length, clock (length less its pauses) and approved extension days.
  const stays = sql`select
      st->>'endReason' as end_reason,
      case when st->>'endedAt' is null then null else ${days(sql`${ms(sql`st->>'endedAt'`)} - ${ms(sql`st->>'startedAt'`)}`)} end as length,
      case when st->>'endedAt' is null then null else ${days(sql`${ms(sql`st->>'endedAt'`)} - ${ms(sql`st->>'startedAt'`)} - coalesce((select sum(coalesce(${ms(sql`p->>'to'`)}, ${ms(sql`st->>'endedAt'`)}) - ${ms(sql`p->>'from'`)}) from jsonb_array_elements(st->'pauses') p), 0)`)} end as clock,
      coalesce((select sum((e->>'days')::int) from jsonb_array_elements(st->'extensions') e where e->>'approved' = 'true'), 0) as extension_days,
      jsonb_array_length(st->'extensions') as requested,
      (select count(*) from jsonb_array_elements(st->'extensions') e where e->>'approved' = 'true') as approved,
      jsonb_array_length(st->'pauses') as pauses
    from c cross join lateral jsonb_array_elements(c.record->'stays') st
    ${f.facility === undefined ? sql`` : sql`where st->>'facilityId' = ${f.facility}`}`;
  const [stayRow] = await run(
    sql<SpreadRow & Record<string, number | null>>`with c as (${cohort}), st as (${stays}) select
      count(*)::int as all_stays,
      ${spreadOf(sql`length`)},
      avg(case when clock <= ${limit} + extension_days then 1.0 else 0.0 end) filter (where length is not null)::float8 as within,
      coalesce(sum(requested), 0)::int as requested,
      coalesce(sum(approved), 0)::int as approved,
      coalesce(sum(pauses), 0)::int as pauses,
      count(*) filter (where end_reason = 'hold-expired')::int as released
      from st`,
  );

  const stageDays = days(sql`${ms(sql`s->>'leftAt'`)} - ${ms(sql`s->>'enteredAt'`)}`);
  const stageRows = await run(
    sql<SpreadRow & { stage: string }>`with c as (${cohort}) select s->>'stage' as stage, ${spreadOf(stageDays)}
      from c cross join lateral jsonb_array_elements(c.record->'stages') s
      where s->>'leftAt' is not null group by s->>'stage' order by s->>'stage'`,
  );
  const closures = await run(
    sql<{ reason: string; count: number }>`with c as (${cohort}) select closure_reason as reason, count(*)::int as count
      from c where closed_at is not null group by closure_reason order by count(*) desc, closure_reason`,
  );

  const t = totals ?? {};
  const n = (k: string) => Number(t[k] ?? 0);
  return {
    period: { from: f.from, to: f.to },
    pathways: n('pathways'),
    reached: n('reached'),
    consentGiven: n('consent'),
    referred: n('referred'),
    assessmentOutcomes: { 'care-place': n('care_place'), 'other-offer': n('other_offer'), 'no-need': n('no_need') },
    waits: spread(waits),
    stays: {
      ...spread(stayRow),
      count: Number(stayRow?.all_stays ?? 0),
      ended: Number(stayRow?.count ?? 0),
      withinLimitShare: stayRow?.within ?? null,
      extensionsRequested: Number(stayRow?.requested ?? 0),
      extensionsApproved: Number(stayRow?.approved ?? 0),
      hospitalAdmissions: Number(stayRow?.pauses ?? 0),
      releasedAfterHold: Number(stayRow?.released ?? 0),
    },
    dischargedToHousing: n('housed'),
    followUpOutcomes: { stable: n('stable'), readmitted: n('readmitted') },
    timeInStage: stageRows.map((r) => ({ stage: r.stage, ...spread(r) })),
    closures: closures.map((r) => ({ reason: r.reason ?? 'unknown', count: Number(r.count) })),
    ...(await recoveryFigures(db, cohort, f.now ?? Date.now())),
  };
}

/** The report as CSV: one `section,measure,value` line per figure (days as decimals, shares 0..1). */
export function reportCsv(r: Report): string {
  const lines: [string, string, number | string | null][] = [
    ['period', 'from', new Date(r.period.from).toISOString()],
    ['period', 'to', new Date(r.period.to).toISOString()],
    ['pathways', 'count', r.pathways],
    ['pathways', 'reached', r.reached],
    ['pathways', 'consent given', r.consentGiven],
    ['pathways', 'referred', r.referred],
    ...Object.entries(r.assessmentOutcomes).map(([k, v]): [string, string, number] => ['assessment outcome', k, v]),
    ...spreadLines('wait for a place (days)', r.waits),
    ...spreadLines('stay length (days)', { ...r.stays, count: r.stays.ended }),
    ['stays', 'count', r.stays.count],
    ['stays', 'share ended within the limit', r.stays.withinLimitShare],
    ['stays', 'extensions requested', r.stays.extensionsRequested],
    ['stays', 'extensions approved', r.stays.extensionsApproved],
    ['stays', 'hospital admissions', r.stays.hospitalAdmissions],
    ['stays', 'places released after the hospital hold', r.stays.releasedAfterHold],
    ['discharges', 'to housing', r.dischargedToHousing],
    ['follow-up outcome', 'stable', r.followUpOutcomes.stable],
    ['follow-up outcome', 'readmitted', r.followUpOutcomes.readmitted],
    ...r.timeInStage.flatMap((s) => spreadLines(`time in ${s.stage} (days)`, s)),
    ...r.closures.map((c): [string, string, number] => ['closures', c.reason, c.count]),
    ...recoveryCsvLines(r),
  ];
  return csv(['section', 'measure', 'value'], lines);
}

const spreadLines = (section: string, s: Spread): [string, string, number | null][] => [
  [section, 'count', s.count],
  [section, 'mean', s.mean],
  [section, 'median', s.median],
  [section, 'max', s.max],
];
