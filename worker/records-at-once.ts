import type { Client } from '@temporalio/client';
import { Runtime, type InjectedSinks } from '@temporalio/worker';
import { entriesWriter } from '../activities/records';
import type { PathwayEntries, Records } from '../records';
import { flushRecordsUpdate } from '../workflows/messages';
import type { RecordSinks } from '../workflows/record-sinks';
import { batches } from './batches';

/** Writes at once under way at one time; past that (a slow or absent store) a step's write is left to the durable one. */
export const MAX_AT_ONCE_UNDER_WAY = 64;
/**
 * How long a step's entries wait for others to share their insert. PGlite takes 0.37 ms of the
 * worker's main thread, the thread that answers actions, for a one-row insert, and 0.12 ms a row
 * for eight in one (measured). The case page shows what waits from the pathway itself.
 */
export const AT_ONCE_WAIT_MS = 25;

export interface RecordsAtOnce {
  /** Writes a step's entries, in one insert with those of the steps ending within `AT_ONCE_WAIT_MS`. */
  write(input: PathwayEntries): Promise<void>;
  /** Asks the pathway to write what is behind the durable way now (`flushRecordsUpdate`). */
  flush(workflowId: string): Promise<unknown>;
  /** Writes what waits now; before the store closes. */
  drain(): Promise<void>;
}

/** Writes on the activities' store under their payload codec, and asks through their client. */
export function createRecordsAtOnce(d: { client: Client; records: Records }): RecordsAtOnce {
  const waiting = batches(entriesWriter(d.records, d.client.options.loadedDataConverter.payloadCodecs), {
    waitMs: AT_ONCE_WAIT_MS,
    maxItems: MAX_AT_ONCE_UNDER_WAY,
  });
  return {
    write: (input) => waiting.add(input),
    flush: (workflowId) => d.client.workflow.getHandle(workflowId).executeUpdate(flushRecordsUpdate),
    drain: () => waiting.drain(),
  };
}

/**
 * The worker's side of a step's write at once (workflows/records-lane.ts, 'behind'): handed over
 * as the step's activation ends, and not awaited, since the SDK sends the activation's completion,
 * and with it the action's answer, only once every sink has returned. When one is lost (the
 * store failed it, or too many are under way) the pathway is asked for its durable write at
 * once, which the server retries until the store takes it.
 */
export function recordSinks(atOnce: RecordsAtOnce): InjectedSinks<RecordSinks> {
  let underWay = 0;
  const warn = (message: string, meta: Record<string, unknown>) => Runtime.instance().logger.warn(message, meta);
  const lost = (workflowId: string, pathwayId: string, why: string) => {
    warn('record write at once lost; the pathway writes it the durable way', { pathwayId, why });
    // Refused when nothing is behind any more (another step already wrote it): nothing to do.
    atOnce.flush(workflowId).catch((err: unknown) => warn('could not ask the pathway for its durable record write', { pathwayId, error: String(err) }));
  };
  return {
    records: {
      writeAtOnce: {
        fn(info, input) {
          if (underWay >= MAX_AT_ONCE_UNDER_WAY) return lost(info.workflowId, input.pathwayId, 'too many writes under way');
          underWay += 1;
          void atOnce
            .write(input)
            .catch((err: unknown) => lost(info.workflowId, input.pathwayId, String(err)))
            .finally(() => void (underWay -= 1));
        },
        callDuringReplay: false,
      },
    },
  };
}
