/**
 * Run by pglite-kill.test.ts as its own process: opens the embedded store in the folder given
 * as argument and writes audit entries one by one, printing `ack <seq>` after each write has
 * returned, until it is killed.
 */
import { insertAuditEntries, openRecords } from '../../records';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: kill-writer.ts <data folder>');
const records = await openRecords({ dataDir });
process.stdout.write('open\n');
for (let seq = 0; ; seq++) {
  await insertAuditEntries(records.db, 'p-kill', [
    { seq, at: Date.UTC(2026, 0, 1) + seq, by: { id: 'c-1', role: 'coordinator' }, type: 'note.add', details: { seq, text: 'x'.repeat(200) }, version: seq + 1 },
  ]);
  process.stdout.write(`ack ${seq}\n`);
}
