import type { Payload } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The Temporal header that carries an HTTP request's correlation id (ui/server/correlation.ts). */
export const CORRELATION_HEADER = 'correlation-id';

/**
 * Carries the correlation id of the request that last reached the workflow (its start or an
 * Update) on to the activities it schedules: the record writes and notices an action causes
 * log with the id of the request that caused them. Headers take no part in replay, so a
 * history recorded without them replays the same. Per workflow: the factory runs for each.
 */
export const interceptors: WorkflowInterceptorsFactory = () => {
  let latest: Payload | undefined;
  const carry = <T extends { headers: Record<string, Payload> }>(input: T): T =>
    latest ? { ...input, headers: { ...input.headers, [CORRELATION_HEADER]: latest } } : input;
  return {
    inbound: [
      {
        execute: (input, next) => ((latest = input.headers[CORRELATION_HEADER] ?? latest), next(input)),
        handleUpdate: (input, next) => ((latest = input.headers[CORRELATION_HEADER] ?? latest), next(input)),
      },
    ],
    outbound: [
      {
        scheduleActivity: (input, next) => next(carry(input)),
        scheduleLocalActivity: (input, next) => next(carry(input)),
      },
    ],
  };
};
