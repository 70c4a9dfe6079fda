import type { CaseRecord } from '../machines';
import { insertAuditEntries, upsertPathwayRecord, type AuditEntry, type PathwayHistory, type Records } from '../records';

export interface WriteRecordsInput {
  pathwayId: string;
  /** Audit entries not yet written, oldest first; rewriting one already there changes nothing. */
  entries: AuditEntry[];
  /** The pathway's record as it stands, written after the entries (replacing the one there). */
  record?: CaseRecord;
}

/** The machine's history must stay what the record store keeps: a compile-time check. */
const sameShape = (h: CaseRecord['history']): PathwayHistory => h;

/** Writes what a pathway did to the record store: its audit trail and its record. */
export function createRecordActivities(records: Records) {
  return {
    async writeRecords(input: WriteRecordsInput): Promise<{ inserted: number }> {
      const inserted = await insertAuditEntries(records.db, input.pathwayId, input.entries);
      if (input.record) await upsertPathwayRecord(records.db, { ...input.record, history: sameShape(input.record.history) });
      return { inserted };
    },
  };
}

export type RecordActivities = ReturnType<typeof createRecordActivities>;
