import { defaultPayloadConverter } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { CORRELATION_HEADER } from '../workflows/correlation';

/** For the worker: an activity's log lines name the request that caused it (workflows/correlation.ts carries the header). */
export const correlationActivityInterceptor: ActivityInterceptorsFactory = () => {
  let correlationId: string | undefined;
  return {
    inbound: {
      execute: (input, next) => {
        const carried = input.headers[CORRELATION_HEADER];
        correlationId = carried ? defaultPayloadConverter.fromPayload<string>(carried) : undefined;
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (input, next) => next(correlationId ? { ...input, correlationId } : input),
    },
  };
};
