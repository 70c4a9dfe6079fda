import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../machines';
import { appendAccessLog, type Records } from '../../records';
import { HttpError, OutOfScope, unavailable } from './errors';

/**
 * Writing the access log (records/access-log.ts): every read of a case, every action, every
 * sign-in and sign-out. A read is answered only once its entry is written, so nothing is shown
 * that the log does not hold; when the store cannot take the entry the answer is 503.
 */

export type Outcome = 'allowed' | 'refused' | 'not-found';

export interface Access {
  /** e.g. `case.read`, `audit.read`, `case.act`, `codec.decode`, `session.sign-in`. */
  action: string;
  pathwayId?: string | null;
  outcome: Outcome;
  details?: Record<string, unknown>;
}

/** Who, as far as is known: a failed sign-in has only the id that was tried. */
export type Who = Pick<Actor, 'id' | 'teams'> & { role: string };

export type AccessLog = (request: FastifyRequest, who: Who, access: Access) => Promise<void>;

export function accessLog(records: Records): AccessLog {
  return async (request, who, a) => {
    try {
      await appendAccessLog(records.db, {
        at: Date.now(),
        actor: { id: who.id, role: who.role, teams: who.teams },
        action: a.action,
        pathwayId: a.pathwayId ?? null,
        outcome: a.outcome,
        // The correlation id finds the request's log line; the address, where the request came from.
        details: { ...a.details, correlationId: request.id, ip: request.ip },
      });
    } catch (err) {
      request.log.error({ err, action: a.action }, 'access log entry not written');
      throw unavailable();
    }
  };
}

const outcomeOf = (err: unknown): Outcome | null =>
  err instanceof OutOfScope ? 'refused' : err instanceof WorkflowNotFoundError || (err instanceof HttpError && err.status === 404) ? 'not-found' : null;

/**
 * Runs a read of one case and logs it however it ends: allowed, refused (out of scope) or not
 * found. A read that failed for another reason (the engine away) showed nothing and is not logged;
 * nor is one that `showsNew` says showed nothing the reader had not seen.
 */
export async function loggedRead<T>(
  log: AccessLog,
  request: FastifyRequest,
  who: Actor,
  access: Omit<Access, 'outcome'>,
  read: () => Promise<T>,
  showsNew: (result: T) => boolean = () => true,
): Promise<T> {
  let result: T;
  try {
    result = await read();
  } catch (err) {
    const outcome = outcomeOf(err);
    if (outcome) await log(request, who, { ...access, outcome });
    throw err;
  }
  if (showsNew(result)) await log(request, who, { ...access, outcome: 'allowed' });
  return result;
}
