import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { computeReport, openRecords, reportCsv, upsertPathwayRecord, type PathwayHistory, type PathwayRecordInput, type Records } from '../../records';
import { findPostgresBin, startPostgres, type PostgresServer } from '../support/postgres';
import { testRecords } from '../support/records';

/**
 * A scripted cohort of ten citizens whose figures were worked out by hand (in the comments),
 * plus two pathways the filters must leave out. Every figure of the report is checked exactly.
 */
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const JAN = { from: T0, to: Date.UTC(2026, 1, 1) };

type Stage = [stage: string, from: number, to: number | null];
type Stay = { at: string; from: number; to: number | null; end?: string; pauses?: [number, number | null][]; ext?: [days: number, approved: boolean | null][] };

function citizen(
  n: number,
  team: string,
  o: {
    stages: Stage[];
    reached?: boolean;
    consent?: boolean;
    referred?: boolean;
    assessment?: PathwayHistory['assessmentOutcome'];
    followUp?: PathwayHistory['followUpOutcome'];
    stays?: Stay[];
    closed?: string;
    openedAt?: number;
    /** Life area and ratings (`achieved` closes it); admissions before, and during as [day, days]. */
    goals?: { area: string; ratings: number[]; achieved?: boolean }[];
    before?: { count: number; days: number };
    admissions?: [day: number, days: number][];
    yearly?: number[];
    /** Partner requests: partner, asked, due and answered day (null: not answered); `withdrawn` at the answer's day. */
    requests?: [partner: string, asked: number, due: number, answered: number | null, withdrawn?: true][];
  },
): PathwayRecordInput {
  const open = o.openedAt ?? T0 + n * DAY;
  const at = (d: number) => open + d * DAY;
  const last = o.stages.at(-1)!;
  return {
    pathwayId: `${team}-p${n}`,
    citizenRef: `ref-${team}-${n}`,
    team,
    openedAt: open,
    closedAt: o.closed ? at(last[1]) : null,
    closureReason: o.closed ?? null,
    outcome: null,
    history: {
      stages: o.stages.map(([stage, from, to]) => ({ stage, enteredAt: at(from), leftAt: to === null ? null : at(to) })),
      stays: (o.stays ?? []).map((s) => ({
        facilityId: s.at,
        startedAt: at(s.from),
        endedAt: s.to === null ? null : at(s.to),
        endReason: s.end ?? null,
        pauses: (s.pauses ?? []).map(([from, to]) => ({ from: at(from), to: to === null ? null : at(to), reason: 'hospital' })),
        extensions: (s.ext ?? []).map(([days, approved]) => ({ days, requestedAt: at(s.from + 1), decidedAt: approved === null ? null : at(s.from + 2), approved })),
      })),
      handoffs: [],
      notices: [],
      readmissions: [],
      firstReachedAt: o.reached === false ? null : at(0),
      consentGivenAt: o.consent ? at(1) : null,
      referredAt: o.referred ? at(2) : null,
      assessmentOutcome: o.assessment ?? null,
      followUpOutcome: o.followUp ?? null,
      // Records written before the plan had none of these: left out unless given.
      ...(o.goals && {
        goals: o.goals.map((g, i) => ({
          id: `goal-${i + 1}`,
          area: g.area,
          setAt: at(1),
          closedAt: g.achieved ? at(50) : null,
          outcome: g.achieved ? ('achieved' as const) : null,
          ratings: g.ratings.map((rating, k) => ({ at: at(10 + 10 * k), rating })),
        })),
      }),
      ...(o.before && { admissionsBefore: o.before }),
      ...(o.admissions && { admissions: o.admissions.map(([d, days]) => ({ admittedAt: at(d), days })) }),
      ...(o.yearly && { yearlyReviews: o.yearly.map((d) => ({ at: at(d) })) }),
      ...(o.requests && {
        partnerRequests: o.requests.map(([partnerId, asked, due, answered, withdrawn], i) => ({
          id: `request-${i + 1}`,
          partnerId,
          requestedAt: at(asked),
          dueAt: at(due),
          answeredAt: answered === null || withdrawn ? null : at(answered),
          withdrawnAt: withdrawn && answered !== null ? at(answered) : null,
        })),
      }),
    },
  };
}

function cohort(team: string, F: string, G: string): PathwayRecordInput[] {
  const yes = { reached: true, consent: true, referred: true } as const;
  return [
    // P1: waited 10, stayed 40 days at F, housed, stable. 3 admissions (40 days) the year before, none since.
    // Goals: housing rated 3 then 7 (advanced), health achieved.
    citizen(1, team, { ...yes, assessment: 'care-place', followUp: 'stable', closed: 'housed-stable',
      before: { count: 3, days: 40 }, goals: [{ area: 'housing', ratings: [3, 7] }, { area: 'health', ratings: [5], achieved: true }],
      // Regional psychiatry answered in time (day 15, due 20); a police request withdrawn counts for nothing.
      requests: [['region', 5, 20, 15], ['police', 6, 8, 7, true]],
      stages: [['outreach', 0, 2], ['assessment', 2, 10], ['waiting', 10, 20], ['stay', 20, 60], ['followUp', 60, 90], ['closed', 90, null]],
      stays: [{ at: F, from: 20, to: 60, end: 'discharged' }] }),
    // P2: waited 5, stayed 70 days at F with 5 in hospital and 14 approved: clock 65 <= 70, within.
    // 2 admissions (20 days) the year before; since, the 5 days in hospital and 4 more from day 90.
    citizen(2, team, { ...yes, assessment: 'care-place', followUp: 'readmitted', closed: 'readmitted',
      before: { count: 2, days: 20 }, admissions: [[90, 4]],
      // The police answered late (day 40, due 30).
      requests: [['police', 25, 30, 40]],
      stages: [['outreach', 0, 3], ['assessment', 3, 7], ['waiting', 7, 12], ['stay', 12, 82], ['followUp', 82, 112], ['closed', 112, null]],
      stays: [{ at: F, from: 12, to: 82, end: 'discharged', pauses: [[30, 35]], ext: [[14, true]] }] }),
    // P3: waited 30, stayed 65 days at G, 7 more declined: clock 65 > 56, not within; in follow-up.
    // No admissions before recorded, so not compared. Goals: network rated 6 then 4, occupation unrated; one yearly review.
    citizen(3, team, { ...yes, assessment: 'care-place',
      goals: [{ area: 'network', ratings: [6, 4] }, { area: 'occupation', ratings: [] }], yearly: [60],
      // Regional psychiatry never answered (due day 50, long past); another request not yet due (day 300) is not judged.
      requests: [['region', 40, 50, null], ['region', 190, 300, null]],
      stages: [['outreach', 0, 1], ['assessment', 1, 5], ['waiting', 5, 35], ['stay', 35, 100], ['followUp', 100, null]],
      stays: [{ at: G, from: 35, to: 100, end: 'discharged', ext: [[7, false]] }] }),
    // P4: waited 2, in hospital from day 20, place released at 34 (28 days, clock 14); waits again.
    citizen(4, team, { ...yes, assessment: 'care-place',
      stages: [['outreach', 0, 2], ['assessment', 2, 4], ['waiting', 4, 6], ['stay', 6, 34], ['waiting', 34, null]],
      stays: [{ at: F, from: 6, to: 34, end: 'hold-expired', pauses: [[20, null]] }] }),
    citizen(5, team, { ...yes, assessment: 'other-offer', closed: 'other-offer', stages: [['outreach', 0, 5], ['assessment', 5, 15], ['closed', 15, null]] }),
    citizen(6, team, { ...yes, assessment: 'no-need', closed: 'no-need', stages: [['outreach', 0, 4], ['assessment', 4, 10], ['closed', 10, null]] }),
    citizen(7, team, { reached: true, consent: true, closed: 'declined', stages: [['outreach', 0, 20], ['closed', 20, null]] }),
    citizen(8, team, { reached: true, stages: [['outreach', 0, null]] }),
    citizen(9, team, { reached: false, closed: 'lost-contact', stages: [['outreach', 0, 14], ['closed', 14, null]] }),
    citizen(10, team, { reached: false, stages: [['outreach', 0, null]] }),
    // Left out: opened after the period, and another team's.
    citizen(11, team, { openedAt: Date.UTC(2026, 1, 3), ...yes, stages: [['outreach', 0, 1], ['closed', 1, null]], closed: 'moved' }),
    citizen(12, `${team}-other`, { ...yes, stages: [['outreach', 0, 1], ['waiting', 1, 3], ['closed', 3, null]], stays: [{ at: F, from: 1, to: 3 }], closed: 'moved' }),
  ];
}

function reportSuite(store: () => Records) {
  const team = `rt${process.pid}`;
  const [F, G] = [`${team}-f`, `${team}-g`];
  beforeAll(async () => {
    for (const r of cohort(team, F, G)) await upsertPathwayRecord(store().db, r);
  });

  test('every figure of the cohort, exactly as worked out by hand', async () => {
    const r = await computeReport(store().db, { ...JAN, teams: [team], now: T0 + 200 * DAY });
    // Compared: P1 (open 90 days) and P2 (112 days).
    const years = (90 + 112) / 365.25;
    expect(r).toEqual({
      period: JAN,
      pathways: 10,
      reached: 8,
      consentGiven: 7,
      referred: 6,
      assessmentOutcomes: { 'care-place': 4, 'other-offer': 1, 'no-need': 1 },
      // Completed waits 10, 5, 30, 2.
      waits: { count: 4, mean: 11.75, median: 7.5, max: 30 },
      // Stays 40, 70, 65, 28: clocks 40, 65 (limit 70), 65 (limit 56), 14.
      stays: { count: 4, ended: 4, mean: 50.75, median: 52.5, max: 70, withinLimitShare: 0.75, extensionsRequested: 2, extensionsApproved: 1, hospitalAdmissions: 2, releasedAfterHold: 1 },
      dischargedToHousing: 3,
      followUpOutcomes: { stable: 1, readmitted: 1 },
      timeInStage: [
        { stage: 'assessment', count: 6, mean: 34 / 6, median: 5, max: 10 },
        { stage: 'followUp', count: 2, mean: 30, median: 30, max: 30 },
        { stage: 'outreach', count: 8, mean: 6.375, median: 3.5, max: 20 },
        { stage: 'stay', count: 4, mean: 50.75, median: 52.5, max: 70 },
        { stage: 'waiting', count: 4, mean: 11.75, median: 7.5, max: 30 },
      ],
      closures: ['declined', 'housed-stable', 'lost-contact', 'no-need', 'other-offer', 'readmitted'].map((reason) => ({ reason, count: 1 })),
      recovery: {
        pathwaysWithPlan: 2,
        goals: 4,
        achieved: 1,
        advanced: 2,
        advancedShare: 0.5,
        byArea: [
          { area: 'health', goals: 1, advanced: 1 },
          { area: 'housing', goals: 1, advanced: 1 },
          { area: 'network', goals: 1, advanced: 0 },
          { area: 'occupation', goals: 1, advanced: 0 },
        ],
        // First reviews rated 3, 5, 6; second 7, 4.
        ratingsByReview: [
          { review: 1, goals: 3, meanRating: 14 / 3 },
          { review: 2, goals: 2, meanRating: 5.5 },
        ],
        yearlyReviews: 1,
      },
      admissions: {
        compared: 2,
        before: { admissions: 5, days: 60 },
        since: { admissions: 2, days: 9, years: expect.closeTo(years, 9) },
        perYear: { before: { admissions: 2.5, days: 30 }, since: { admissions: expect.closeTo(2 / years, 9), days: expect.closeTo(9 / years, 9) } },
      },
      // Judged: 3 (in time, late, never answered); the withdrawn and the not-yet-due are not.
      cooperation: {
        requests: 4,
        answered: 2,
        answeredInTime: 1,
        inTimeShare: 1 / 3,
        byPartner: [
          { partnerId: 'police', requests: 1, answeredInTime: 0 },
          { partnerId: 'region', requests: 3, answeredInTime: 1 },
        ],
      },
    });
  });

  test('per facility: the pathways that stayed there, and only their stays there', async () => {
    const r = await computeReport(store().db, { ...JAN, teams: [team], facility: F });
    expect(r.pathways).toBe(3);
    expect(r.stays).toEqual({ count: 3, ended: 3, mean: 46, median: 40, max: 70, withinLimitShare: 1, extensionsRequested: 1, extensionsApproved: 1, hospitalAdmissions: 2, releasedAfterHold: 1 });
    expect(r.waits).toEqual({ count: 3, mean: 17 / 3, median: 5, max: 10 });
  });

  test('an empty selection reports zeros and no averages; the CSV carries every figure', async () => {
    const none = await computeReport(store().db, { ...JAN, teams: [] });
    expect(none.pathways).toBe(0);
    expect(none.waits).toEqual({ count: 0, mean: null, median: null, max: null });
    expect(none.stays.withinLimitShare).toBeNull();
    const csv = reportCsv(await computeReport(store().db, { ...JAN, teams: [team] }));
    expect(csv.split('\n')[0]).toBe('section,measure,value');
    expect(csv).toContain('wait for a place (days),median,7.5\n');
    expect(csv).toContain('stays,share ended within the limit,0.75\n');
    expect(csv).toContain('closures,housed-stable,1\n');
    expect(csv).toContain('time in outreach (days),mean,6.375\n');
    expect(csv).toContain('recovery plan,share of goals advanced,0.5\n');
    expect(csv).toContain('admissions per person and year,before,2.5\n');
  });
}

describe('evaluation reports on PGlite', () => {
  let records: Records | undefined;
  beforeAll(async () => {
    records = await testRecords();
  });
  afterAll(() => records?.close());
  reportSuite(() => records!);
});

/** On a real server too, when one is installed (as test/records/postgres.test.ts decides). */
const bin = findPostgresBin();
if (!bin) {
  describe('evaluation reports on PostgreSQL', () => {
    test('NOT RUN: no PostgreSQL server installed, only PGlite was tested', () => {
      expect(process.env.RECORDS_REQUIRE_POSTGRES, 'RECORDS_REQUIRE_POSTGRES=1 but no PostgreSQL server is installed').not.toBe('1');
    });
  });
} else describe('evaluation reports on PostgreSQL', () => {
  let server: PostgresServer | undefined;
  let records: Records | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    records = await openRecords({ databaseUrl: server.url });
  });
  afterAll(async () => {
    await records?.close();
    await server?.stop();
  });
  reportSuite(() => records!);
});
