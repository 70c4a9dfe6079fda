import type { Sinks } from '@temporalio/workflow';
import type { WriteRecordsInput } from '../activities/records';

/**
 * What the pathway hands the worker to write at once as it takes a step (worker/records-at-once.ts):
 * no command, no history, and the action's answer does not wait for it. It may be lost (a
 * crash, a store that is down); the durable write that follows is what makes it certain.
 */
export interface RecordSinks extends Sinks {
  records: { writeAtOnce(input: WriteRecordsInput): void };
}
