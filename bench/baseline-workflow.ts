import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

/**
 * The baseline every figure is compared with: what Temporal costs with no engine in it.
 * These workflows do nothing but what the pathway workflow's plumbing must do at least.
 */

/** Same payload shape as the pathway's `act` Update, so both carry the same bytes. */
export interface NoopRequest {
  requestId: string;
  expectedVersion: number;
  command: unknown;
  actor: unknown;
  /** Makes the validator refuse, for the rejected-Update comparison. */
  reject?: boolean;
}

export const noopUpdate = defineUpdate<number, [NoopRequest]>('noop');
export const countQuery = defineQuery<number>('count');

/** Answers Updates by counting them; lives until terminated. */
export async function noopWorkflow(): Promise<void> {
  let count = 0;
  setHandler(noopUpdate, () => ++count, {
    validator: (request) => {
      if (request.reject) throw new Error('rejected by request');
    },
  });
  setHandler(countQuery, () => count);
  await condition(() => false);
}

export interface StampActivities {
  /** Reports that the timer for `dueAt` fired; the worker process tells the bench when. */
  stamp(dueAt: number): Promise<void>;
}
const { stamp } = proxyActivities<StampActivities>({ startToCloseTimeout: '1 minute' });

/** A bare timer followed by one activity: the floor for a reminder's lag. */
export async function timerWorkflow(dueAt: number): Promise<void> {
  await sleep(Math.max(1, dueAt - Date.now()));
  await stamp(dueAt);
}
