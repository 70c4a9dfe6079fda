import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import type { CaseRecord } from '../machines';
import { recordsFailingSignal } from '../workflows/messages';
import { sealerOf, type Sealer } from '../codec/sealed';
import { insertManyAuditEntries, upsertPathwayRecord, type AuditEntry, type PathwayEntries, type PathwayHistory, type Records } from '../records';

export interface WriteRecordsInput {
  pathwayId: string;
  /** Audit entries not yet written, oldest first. */
  entries: AuditEntry[];
  /** The pathway's record as it stands, written after the entries (replacing an older one there). */
  record?: CaseRecord;
}

/** The machine's history must stay what the record store keeps: a compile-time check. */
const sameShape = (h: CaseRecord['history']): PathwayHistory => h;

/** The attempt after whose failure the pathway raises `records-failing` (the server retries for good). */
export const FAILING_AFTER_ATTEMPT = 4;

/**
 * Writes a pathway's entries and record to the store, sealing notes, reasons and the citizen
 * reference with the payload codec (codec/sealed.ts). `replace`: these entries win over any
 * already there under the same (pathway, seq). Returns how many entries were written.
 */
export type RecordWriter = (input: WriteRecordsInput, o?: { replace?: boolean }) => Promise<number>;
/** Writes several pathways' entries (no records) in as few statements as they fit, ignoring any already there. */
export type EntriesWriter = (batch: readonly PathwayEntries[]) => Promise<void>;

export function recordWriter(records: Records, codecs: readonly PayloadCodec[]): RecordWriter {
  const sealer = sealerOf(codecs);
  const seal = entriesSealer(sealer);
  return async (input, o = {}) => {
    const written = await insertManyAuditEntries(records.db, [await seal(input)], o);
    if (input.record) {
      const { citizenRef, history } = input.record;
      await upsertPathwayRecord(records.db, { ...input.record, citizenRef: await sealer.seal(citizenRef), history: sameShape(history) });
    }
    return written;
  };
}

/** The writer of steps' entries at once (worker/records-at-once.ts), sealed as `recordWriter` seals them. */
export function entriesWriter(records: Records, codecs: readonly PayloadCodec[]): EntriesWriter {
  const seal = entriesSealer(sealerOf(codecs));
  return async (batch) => void (await insertManyAuditEntries(records.db, await Promise.all(batch.map(seal))));
}

/** Seals what citizens said in entries (notes, reasons): `details`. */
const entriesSealer = (sealer: Sealer) => async (b: PathwayEntries) => ({
  ...b,
  entries: await Promise.all(b.entries.map(async (e) => (e.details === undefined ? e : { ...e, details: await sealer.seal(e.details) }))),
});

/**
 * Writes what a pathway did to the record store: its audit trail and its record. The server
 * retries a failed write until the store takes it; the pathway hears of it through `client`
 * (a signal), as the workflow never sees a write fail. Its entries replace any a write at once
 * put there: only this write surely comes from a step the pathway's history kept.
 */
export function createRecordActivities(records: Records, client: Client) {
  const tell = async (failing: boolean) => {
    const workflowId = Context.current().info.workflowExecution?.workflowId;
    if (workflowId) await client.workflow.getHandle(workflowId).signal(recordsFailingSignal, { failing }).catch(() => undefined);
  };
  const write = recordWriter(records, client.options.loadedDataConverter.payloadCodecs);
  return {
    async writeRecords(input: WriteRecordsInput): Promise<{ inserted: number }> {
      const { attempt } = Context.current().info;
      try {
        const inserted = await write(input, { replace: true });
        if (attempt > FAILING_AFTER_ATTEMPT) await tell(false);
        return { inserted };
      } catch (err) {
        if (attempt === FAILING_AFTER_ATTEMPT) await tell(true);
        throw err;
      }
    },
  };
}

export type RecordActivities = ReturnType<typeof createRecordActivities>;
