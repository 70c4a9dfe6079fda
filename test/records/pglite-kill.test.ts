import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { countAuditEntries, insertAuditEntries, openRecords, pageAuditEntries } from '../../records';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'records-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writer, SIGKILLs it right after its `acks`-th acknowledged write, returns the acked seqs. */
async function writeThenKill(dataDir: string, acks: number): Promise<{ acked: number[]; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/records/kill-writer.ts', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const acked: number[] = [];
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)));
  child.stderr.on('data', (c: Buffer) => (output += c));
  let buffered = '';
  child.stdout.on('data', (c: Buffer) => {
    output += c;
    buffered += c;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      const m = /^ack (\d+)$/.exec(line);
      if (m && acked.length < acks) {
        acked.push(Number(m[1]));
        // In the same tick as the acknowledgement: the writer is mid-way through the next write.
        if (acked.length === acks) child.kill('SIGKILL');
      }
    }
  });
  const how = await exited;
  if (acked.length < acks) throw new Error(`the writer exited (${how}) after ${acked.length} of ${acks} writes:\n${output}`);
  expect(how).toBe('SIGKILL');
  return { acked, output };
}

describe('kill -9 of the process holding the embedded store', () => {
  test('loses no acknowledged write, and the store opens and takes writes again', { timeout: 180_000 }, async () => {
    const dataDir = join(dir, 'records');
    const { acked } = await writeThenKill(dataDir, 150);
    expect(acked).toEqual(Array.from({ length: 150 }, (_, i) => i));

    // A second life, killed too: recovery after the first crash must hold up under another.
    const records1 = await openRecords({ dataDir });
    const afterFirst = await countAuditEntries(records1.db, 'p-kill');
    await records1.close();
    // Acknowledged ones, plus any the writer finished before the kill but we had not yet read.
    expect(afterFirst).toBeGreaterThanOrEqual(150);

    const second = await writeThenKill(dataDir, 100);
    // The writer starts at seq 0 again: the first `afterFirst` are duplicates it skips.
    expect(second.acked).toHaveLength(100);

    const records = await openRecords({ dataDir });
    try {
      const entries = await pageAuditEntries(records.db, 'p-kill', { limit: 1000 });
      const seqs = entries.map((e) => e.seq);
      // Every acknowledged write is there, once each, in order, with its content.
      expect(seqs.slice(0, 150)).toEqual(Array.from({ length: 150 }, (_, i) => i));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i));
      expect(seqs.length).toBeGreaterThanOrEqual(Math.max(afterFirst, 100));
      expect(entries[149]).toMatchObject({ seq: 149, version: 150, details: { seq: 149, text: 'x'.repeat(200) } });
      expect(await insertAuditEntries(records.db, 'p-kill', [{ seq: 10_000, at: 0, by: { id: 'c', role: 'coordinator' }, type: 'note.add' }])).toBe(1);
    } finally {
      await records.close();
    }
  });
});
