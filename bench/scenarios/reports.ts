import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { computeReport, openRecords, PathwayHistorySchema, type PathwayHistory } from '../../records';
import type { Bench } from '../context';
import { summarize } from '../stats';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const TEAMS = ['outreach-1', 'outreach-2', 'outreach-3', 'outreach-4'];

/** A closed pathway of ordinary shape: five stages, a stay with a pause and an extension, varied by `i`. */
function history(i: number, open: number): PathwayHistory {
  const at = (d: number) => open + d * DAY;
  const [w, s, f] = [3 + (i % 11), 20 + (i % 30), 60 + (i % 40)];
  return PathwayHistorySchema.parse({
    stages: [
      { stage: 'outreach', enteredAt: at(0), leftAt: at(2) },
      { stage: 'assessment', enteredAt: at(2), leftAt: at(w) },
      { stage: 'waiting', enteredAt: at(w), leftAt: at(s) },
      { stage: 'stay', enteredAt: at(s), leftAt: at(f) },
      { stage: 'followUp', enteredAt: at(f), leftAt: at(f + 30) },
      { stage: 'closed', enteredAt: at(f + 30), leftAt: null },
    ],
    stays: [
      {
        facilityId: `facility-${i % 5}`,
        startedAt: at(s),
        endedAt: at(f),
        endReason: i % 17 === 0 ? 'hold-expired' : 'discharged',
        pauses: i % 4 === 0 ? [{ from: at(s + 5), to: at(s + 9), reason: 'hospital' }] : [],
        extensions: i % 3 === 0 ? [{ days: 14, requestedAt: at(s + 30), decidedAt: at(s + 31), approved: i % 2 === 0 }] : [],
      },
    ],
    handoffs: [{ fromTeam: 'outreach', toTeam: 'psychiatry-liaison', target: 'assessment', requestedAt: at(2), acceptedAt: at(2.5), latencyMs: DAY / 2 }],
    notices: [{ kind: 'stay-reminder', to: 'coordinators', sentAt: at(s + 42) }],
    readmissions: [],
    firstReachedAt: at(0),
    consentGivenAt: at(1),
    referredAt: at(2),
    assessmentOutcome: 'care-place',
    followUpOutcome: i % 5 === 0 ? 'readmitted' : 'stable',
  });
}

/**
 * The evaluation report (records/reports.ts) over `BENCH_REPORT_PATHWAYS` closed pathways on
 * the embedded PGlite store, next to a plain count(*) over the same table in the same run.
 */
export async function reportsBench(b: Pick<Bench, 'add' | 'log'>, size = 10_000): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-reports-'));
  const records = await openRecords({ dataDir: dir });
  try {
    for (let start = 0; start < size; start += 500) {
      const rows = Array.from({ length: Math.min(500, size - start) }, (_, k) => {
        const i = start + k;
        const open = T0 + (i % 365) * DAY;
        const h = history(i, open);
        return {
          pathway_id: `bench-${i}`,
          citizen_ref: `ref-${i}`,
          team: TEAMS[i % TEAMS.length]!,
          opened_at: new Date(open),
          closed_at: new Date(h.stages.at(-1)!.enteredAt),
          closure_reason: h.followUpOutcome === 'stable' ? 'housed-stable' : 'readmitted',
          outcome: null,
          record: JSON.stringify(h),
          updated_at: new Date(),
        };
      });
      await records.db.insertInto('pathway_records').values(rows).execute();
    }
    await sql`analyze pathway_records`.execute(records.db);
    const time = async (f: () => Promise<unknown>) => {
      await f(); // warm
      const ms: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await f();
        ms.push(performance.now() - t0);
      }
      return summarize(ms).p50;
    };
    const year = { from: T0, to: T0 + 366 * DAY };
    const count = await time(() => sql`select count(*) from pathway_records`.execute(records.db));
    const whole = await time(() => computeReport(records.db, year));
    const team = await time(() => computeReport(records.db, { ...year, teams: [TEAMS[0]!] }));
    const checked = await computeReport(records.db, year);
    if (checked.pathways !== size) throw new Error(`the report counted ${checked.pathways} pathways of ${size}`);
    const baseline = { label: `plain count(*) over the same ${size} rows`, value: count };
    b.add({ section: 'reports', measure: `evaluation report, ${size} closed pathways (PGlite), every team`, value: whole, unit: 'ms', better: 'lower', baseline });
    b.add({ section: 'reports', measure: `evaluation report, ${size} closed pathways (PGlite), one team of ${TEAMS.length}`, value: team, unit: 'ms', better: 'lower', baseline });
  } finally {
    await records.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
