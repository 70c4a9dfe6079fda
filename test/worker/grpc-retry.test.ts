import type { GrpcRetryOptions } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { CLOSING_RUN_PAUSE_MS, pathwayRetryOptions } from '../../worker/grpc-retry';

const RESOURCE_EXHAUSTED = 8;
// The delay looks at the code and the details only.
const statusOf = (details: string) => ({ code: RESOURCE_EXHAUSTED, details }) as Parameters<GrpcRetryOptions['delayFunction']>[1];
// What the server answers an Update that reached a run as it continued as new (Temporal 1.32, measured).
const closing = statusOf('workflow operation can not be applied because workflow is closing');
const rateLimited = statusOf('namespace rate limit exceeded');

describe('the client connection retries', () => {
  const o = pathwayRetryOptions();

  it('send an Update that met its run closing again after 20 ms, then a little longer each time', () => {
    expect(o.retryableDecider(1, closing)).toBe(true);
    expect(o.delayFunction(1, closing)).toBe(CLOSING_RUN_PAUSE_MS);
    expect(o.delayFunction(2, closing)).toBeCloseTo(CLOSING_RUN_PAUSE_MS * 1.7);
  });

  it('keep the SDK pause of a second or more for any other exhausted resource', () => {
    expect(o.delayFunction(1, rateLimited)).toBeGreaterThanOrEqual(1_000 * 1.7 * 0.8);
  });
});
