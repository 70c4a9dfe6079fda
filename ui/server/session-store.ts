import type { SessionStore } from '@fastify/session';
import type { Session as FastifySession } from 'fastify';
import type { Kysely } from 'kysely';
import { createSession, lookupSession, revokeSession, touchSession, type Database, type SessionClock } from '../../records';

export interface SessionTimes {
  /** A session unused this long has ended. */
  idleMs: number;
  /** A session ends this long after sign-in, however much it is used. */
  lifetimeMs: number;
}

/**
 * @fastify/session's store over the record store's session table (records/sessions.ts), so a
 * session outlives a restart and ends for real: a revoked, expired or idle session is read
 * back as `{ ended }`, which the API answers with 401 `session-ended`; nothing revives one.
 */
export class RecordsSessionStore implements SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    readonly times: SessionTimes,
    private readonly now: () => number = Date.now,
  ) {}

  clock(): SessionClock {
    return { now: this.now(), idleMs: this.times.idleMs };
  }

  get(id: string, done: (err: unknown, result?: FastifySession | null) => void): void {
    lookupSession(this.db, id, this.clock()).then((found) => {
      if (found.state === 'live') done(null, found.session.data as unknown as FastifySession);
      // No cookie data: the plugin then takes its defaults, and the answer is 401 anyway.
      else if (found.state === 'ended') done(null, { ended: found.why } as unknown as FastifySession);
      else done(null, null);
    }, done);
  }

  /** Creates the session the first time it carries an identity; afterwards replaces its data while it lives. */
  set(id: string, session: FastifySession, done: (err?: unknown) => void): void {
    const data = JSON.parse(JSON.stringify(session)) as FastifySession & Record<string, unknown>;
    const identity = data.identity;
    if (!identity || data.ended) return done();
    const clock = this.clock();
    touchSession(this.db, id, clock, data)
      .then((touched) =>
        touched ? true : createSession(this.db, { id, accountId: identity.id, now: clock.now, lifetimeMs: this.times.lifetimeMs, data }),
      )
      .then(() => done(), done);
  }

  destroy(id: string, done: (err?: unknown) => void): void {
    revokeSession(this.db, id, this.now()).then(() => done(), done);
  }
}
