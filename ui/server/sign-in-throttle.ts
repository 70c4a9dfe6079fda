import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { HttpError } from './errors';

/** How hard sign-in is throttled; the defaults suit one municipality's staff. */
export interface ThrottleLimits {
  /** Attempts per minute from one client address (an office behind one NAT address shares it). */
  perAddress: number;
  /** Attempts per minute for one account id, whoever sends them. */
  perAccount: number;
  /** Failures in a row after which each further attempt waits. */
  freeFailures: number;
  /** The first wait, doubled at each further failure, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
}
export const defaultThrottle: ThrottleLimits = { perAddress: 30, perAccount: 10, freeFailures: 5, firstDelayMs: 2_000, maxDelayMs: 15 * 60_000 };

/** Account ids remembered at most; the oldest are forgotten first (ids are the client's choice). */
const MAX_TRACKED = 10_000;

export interface SignInThrottle {
  /** Runs before the password hash is computed: refuses with 429 and Retry-After. */
  before: preHandlerAsyncHookHandler[];
  failed(accountId: string): void;
  succeeded(accountId: string): void;
}

const idOf = (request: FastifyRequest) => {
  const id = (request.body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : '';
};

/**
 * Sign-in throttling. Rate limits per client address and per account come from
 * @fastify/rate-limit; after repeated failures an account waits longer before each further
 * attempt. Both are kept in this process's memory: the embedded default runs one API process,
 * a restart lifts delays (as an admin can), and no failed guess ever writes to the records.
 */
export async function registerSignInThrottle(app: FastifyInstance, limits: ThrottleLimits = defaultThrottle): Promise<SignInThrottle> {
  await app.register(rateLimit, { global: false });
  const failures = new Map<string, { count: number; until: number }>();
  const delayed: preHandlerAsyncHookHandler = async (request, reply) => {
    const f = failures.get(idOf(request));
    const wait = f ? f.until - Date.now() : 0;
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait / 1000)));
      throw new HttpError(429, 'rate-limited', 'too many failed sign-ins for this account: wait before trying again');
    }
  };
  return {
    before: [
      app.rateLimit({ max: limits.perAddress, timeWindow: 60_000, keyGenerator: (r) => `address:${r.ip}` }),
      app.rateLimit({ max: limits.perAccount, timeWindow: 60_000, keyGenerator: (r) => `account:${idOf(r)}` }),
      delayed,
    ],
    failed(accountId) {
      const count = (failures.get(accountId)?.count ?? 0) + 1;
      const over = count - limits.freeFailures + 1;
      const until = over > 0 ? Date.now() + Math.min(limits.firstDelayMs * 2 ** (over - 1), limits.maxDelayMs) : 0;
      failures.delete(accountId); // re-inserted last: the Map's order is the eviction order
      failures.set(accountId, { count, until });
      if (failures.size > MAX_TRACKED) failures.delete(failures.keys().next().value!);
    },
    succeeded(accountId) {
      failures.delete(accountId);
    },
  };
}
