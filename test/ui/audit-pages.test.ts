import { describe, expect, it } from 'vitest';
import { sealerOf } from '../../codec/sealed';
import type { AuditEntry } from '../../machines';
import { insertAuditEntries } from '../../records';
import { auditPage } from '../../ui/server/audit-pages';
import { fileRecords } from '../support/records';

const entry = (seq: number, type = 'note.add'): AuditEntry => ({ seq, at: 1_767_225_600_000 + seq, by: { id: 'outreach-c1', role: 'coordinator' }, type, details: { text: `note ${seq}` } });

describe('a page of the audit trail', () => {
  it('takes what the workflow holds over what the store has under the same number, and fills what the store lacks', async () => {
    const records = await fileRecords();
    const pathwayId = `page-${Date.now()}`;
    // 3 is a worker's write of a step the history did not keep; 4 never reached the store.
    await insertAuditEntries(records.db, pathwayId, [entry(1), entry(2), entry(3, 'phantom')]);
    const page = await auditPage({ records, sealer: sealerOf([]) }, pathwayId, [entry(3), entry(4)]);
    expect(page.entries.map((e) => [e.seq, e.type])).toEqual([
      [1, 'note.add'],
      [2, 'note.add'],
      [3, 'note.add'],
      [4, 'note.add'],
    ]);
    expect(page.older).toBe(false);
  });
});
