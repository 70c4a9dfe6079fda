/**
 * `npm run purge-records`: erases the records of pathways closed more than
 * RECORDS_RETENTION_DAYS ago (default 1,825: five years), with their audit trails, and prints
 * what it erased: pathway ids, closure times and entry counts, never names. Open pathways are
 * never erased. With the embedded store, run it while `npm start` is stopped (one process at a time).
 */
import { z } from 'zod';
import { ConfigError, parseEnv } from '../config/env';
import { DAY } from '../machines';
import { describeTarget, openRecords, purgePathwayRecords, recordsTargetOf } from '../records';

const PurgeSchema = z.object({ RECORDS_RETENTION_DAYS: z.coerce.number().int().min(1).default(1_825) });

async function main() {
  const { RECORDS_RETENTION_DAYS: days } = parseEnv(PurgeSchema, process.env, 'configuration');
  const target = recordsTargetOf();
  const records = await openRecords(target);
  try {
    const now = Date.now();
    const erased = await purgePathwayRecords(records.db, { now, retentionMs: days * DAY });
    // One JSON line per pathway erased, and a summary: the log of what was erased.
    for (const p of erased) {
      console.log(JSON.stringify({ msg: 'pathway record erased', pathwayId: p.pathwayId, closedAt: new Date(p.closedAt).toISOString(), auditEntries: p.auditEntries }));
    }
    const entries = erased.reduce((a, p) => a + p.auditEntries, 0);
    console.log(
      JSON.stringify({ msg: 'records purged', store: describeTarget(target), retentionDays: days, closedBefore: new Date(now - days * DAY).toISOString(), pathways: erased.length, auditEntries: entries }),
    );
  } finally {
    await records.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
