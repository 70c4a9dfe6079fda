import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { countAuditEntries, getPathwayRecord, insertAuditEntries, openRecords, upsertPathwayRecord } from '../../records';

const run = promisify(execFile);
const DAY = 86_400_000;
const history = { stages: [], stays: [], handoffs: [], notices: [], readmissions: [], firstReachedAt: null, consentGivenAt: null, referredAt: null, assessmentOutcome: null, followUpOutcome: null };

describe('npm run purge-records', () => {
  it('erases the pathways closed before the retention with their audit trails, keeps the rest, and prints ids and counts only', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'purge-'));
    const store = await openRecords({ dataDir: join(dataDir, 'records') });
    const now = Date.now();
    const entry = (seq: number) => ({ seq, at: now - 400 * DAY, by: { id: 'ow1', role: 'coordinator' }, type: 'note.add', details: { text: 'private words' } });
    const rec = (pathwayId: string, closedAt: number | null) => ({ pathwayId, citizenRef: `ref-${pathwayId}`, team: 'outreach', openedAt: now - 500 * DAY, closedAt, closureReason: closedAt ? 'declined' : null, outcome: null, history });
    await upsertPathwayRecord(store.db, rec('old-closed', now - 400 * DAY));
    await insertAuditEntries(store.db, 'old-closed', [entry(1), entry(2), entry(3)]);
    await upsertPathwayRecord(store.db, rec('new-closed', now - 10 * DAY));
    await insertAuditEntries(store.db, 'new-closed', [entry(1)]);
    await upsertPathwayRecord(store.db, rec('still-open', null));
    await store.close();

    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/purge-records.ts'], {
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', RECORDS_RETENTION_DAYS: '365' },
    });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ msg: 'pathway record erased', pathwayId: 'old-closed', auditEntries: 3 });
    expect(lines.at(-1)).toMatchObject({ msg: 'records purged', retentionDays: 365, pathways: 1, auditEntries: 3 });
    expect(stdout).not.toMatch(/ref-old-closed|private words/);

    const after = await openRecords({ dataDir: join(dataDir, 'records') });
    try {
      expect(await getPathwayRecord(after.db, 'old-closed')).toBeNull();
      expect(await countAuditEntries(after.db, 'old-closed')).toBe(0);
      expect(await getPathwayRecord(after.db, 'new-closed')).not.toBeNull();
      expect(await countAuditEntries(after.db, 'new-closed')).toBe(1);
      expect(await getPathwayRecord(after.db, 'still-open')).not.toBeNull();
    } finally {
      await after.close();
    }
  }, 120_000);
});
