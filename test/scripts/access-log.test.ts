import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { appendAccessLog, openRecords } from '../../records';

const run = promisify(execFile);

/** Runs `npm run access-log -- verify` on the embedded store under `dataDir`: its exit code and JSON line. */
async function verify(dataDir: string) {
  const out = await run(process.execPath, ['--import', 'tsx', 'scripts/access-log.ts', 'verify'], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  return { code: out.code, report: JSON.parse(out.stdout.trim()) as Record<string, unknown> };
}

describe('npm run access-log -- verify', () => {
  it('reports an intact chain with its length, and the first entry edited behind the application’s back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'access-log-'));
    const store = await openRecords({ dataDir: join(dataDir, 'records') });
    const actor = { id: 'ow1', role: 'coordinator', teams: ['outreach'] };
    const entries = [];
    for (const outcome of ['allowed', 'refused', 'allowed']) entries.push(await appendAccessLog(store.db, { at: Date.now(), actor, action: 'case.read', pathwayId: 'p-1', outcome }));
    await store.close();
    expect(await verify(dataDir)).toEqual({ code: 0, report: expect.objectContaining({ msg: 'access log intact', entries: 3 }) });

    // Someone with the database owner's rights hides a refused read.
    const again = await openRecords({ dataDir: join(dataDir, 'records') });
    await sql`alter table access_log disable trigger access_log_append_only`.execute(again.db);
    await again.db.updateTable('access_log').set({ outcome: 'allowed' }).where('id', '=', entries[1]!.id).execute();
    await again.close();
    expect(await verify(dataDir)).toEqual({
      code: 1,
      report: expect.objectContaining({ msg: 'access log broken', entries: 3, firstBroken: entries[1]!.id, problem: 'hash-mismatch' }),
    });
  }, 120_000);
});
