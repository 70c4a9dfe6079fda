import { createHash, randomBytes } from 'node:crypto';
import fastifySession from '@fastify/session';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { revokeAccountSessions, touchSession, type Records } from '../../records';
import { scopeOf, StaffIdSchema, type Actor } from '../../machines';
import type { AccessLog } from './access-log';
import type { Account } from './accounts';
import { HttpError, parse } from './errors';
import { verifyPassword } from './passwords';
import { RecordsSessionStore, type SessionTimes } from './session-store';
import { registerSignInThrottle } from './sign-in-throttle';

/** Who a session belongs to, however they signed in. */
export interface Identity {
  id: string;
  name: string;
  role: Account['role'];
  teams: string[];
  source: 'local' | 'oidc';
}

declare module 'fastify' {
  interface Session {
    identity?: Identity;
    /** For local accounts: role, teams and password hash at sign-in; a change ends the session. */
    fingerprint?: string;
    /** Set by the store for a session that was revoked or ran out. */
    ended?: 'revoked' | 'expired' | 'idle';
  }
  interface FastifyInstance {
    sessionPolicy: SessionPolicy;
  }
}

interface SessionPolicy {
  find(id: string): Account | undefined;
  log: AccessLog;
  records: Records;
  store: RecordsSessionStore;
}

export interface SessionOptions {
  /** The accounts, or a function giving the current ones (a file that may change). */
  accounts: Account[] | (() => Account[]);
  records: Records;
  /** Sign-ins, failed sign-ins and sign-outs go to the access log. */
  log: AccessLog;
  /** Signs the session id in the cookie. */
  sessionSecret: string;
  /** Idle timeout in minutes (default 30). */
  sessionIdleMinutes?: number;
  /** Absolute lifetime in hours (default 10). */
  sessionMaxHours?: number;
}

export const SESSION_COOKIE = 'session';
const SignInSchema = z.object({ id: StaffIdSchema, password: z.string().min(1).max(1000) }).strict();
const AccountParam = z.object({ accountId: StaffIdSchema });

/** What a request's session says about who is asking, settled once per request. */
type Who = { state: 'in'; identity: Identity; account?: Account } | { state: 'ended' } | { state: 'out' };
const who = new WeakMap<FastifyRequest, Who>();

const fingerprint = (a: Account) => createHash('sha256').update(JSON.stringify([a.role, [...a.teams].sort(), a.passwordHash])).digest('base64url');

/**
 * Starts a server-side session for `identity` under a new id (the old one, if any, is revoked)
 * and sets its cookie. Used by local sign-in and by OpenID Connect.
 */
export async function startSession(request: FastifyRequest, _reply: FastifyReply, identity: Identity): Promise<void> {
  const policy = request.server.sessionPolicy;
  await request.session.regenerate();
  // Secure follows the real protocol (TRUST_PROXY decides whose word counts); the plugin's own
  // `secure: 'auto'` would also weaken SameSite to Lax over plain HTTP.
  request.session.options({ secure: request.protocol === 'https' });
  request.session.set('identity', identity);
  const account = identity.source === 'local' ? policy.find(identity.id) : undefined;
  if (account) request.session.set('fingerprint', fingerprint(account));
  await request.session.save();
  who.set(request, { state: 'in', identity, ...(account ? { account } : {}) });
  await policy.log(request, identity, { action: 'session.sign-in', outcome: 'allowed', details: { source: identity.source } });
}

/** A sign-in that failed, for the access log: only the id that was tried is known, if any. */
export const signInFailed = (request: FastifyRequest, tried: string | null, reason: string) =>
  request.server.sessionPolicy.log(request, { id: tried ?? '(unknown)', role: '(none)', teams: [] }, { action: 'session.sign-in', outcome: 'refused', details: { reason } });

/** Revokes the request's session, if any, and clears its cookie. */
export async function endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const identity = request.session?.get('identity');
  if (identity) {
    await request.session.destroy();
    await request.server.sessionPolicy.log(request, identity, { action: 'session.sign-out', outcome: 'allowed' });
  }
  reply.clearCookie(SESSION_COOKIE, { path: '/api' });
  who.set(request, { state: 'out' });
}

/** Sign-in, the session and who is asking; returns the function routes use to name the actor. */
export async function registerSession(app: FastifyInstance, o: SessionOptions): Promise<(request: FastifyRequest) => Actor> {
  const accounts = o.accounts;
  const find = (id: string) => (typeof accounts === 'function' ? accounts() : accounts).find((a) => a.id === id);
  const times: SessionTimes = { idleMs: (o.sessionIdleMinutes ?? 30) * 60_000, lifetimeMs: (o.sessionMaxHours ?? 10) * 3_600_000 };
  const store = new RecordsSessionStore(o.records.db, times);
  app.decorate('sessionPolicy', { find, log: o.log, records: o.records, store });
  await app.register(fastifySession, {
    secret: o.sessionSecret,
    cookieName: SESSION_COOKIE,
    store,
    saveUninitialized: false,
    rolling: false,
    // Only the API reads it; Secure is set per sign-in (startSession). No expiry on the cookie:
    // the store alone ends a session, so an ended one answers `session-ended`.
    cookie: { path: '/api', httpOnly: true, sameSite: 'strict', secure: false },
  });

  // Settles who is asking: a local account whose role, teams or password changed, or that is gone, ends its sessions.
  async function settle(request: FastifyRequest): Promise<Who> {
    const identity = request.session?.get?.('identity');
    if (!identity) return request.session?.get?.('ended') ? { state: 'ended' } : { state: 'out' };
    const account = identity.source === 'local' ? find(identity.id) : undefined;
    if (identity.source === 'local' && (!account || fingerprint(account) !== request.session.get('fingerprint'))) {
      await revokeAccountSessions(o.records.db, identity.id, Date.now());
      return { state: 'ended' };
    }
    // Any use of the API counts as activity, the UI's polling included.
    if (!(await touchSession(o.records.db, request.session.sessionId, store.clock()))) return { state: 'ended' };
    return account ? { state: 'in', identity: { ...identity, role: account.role, teams: account.teams }, account } : { state: 'in', identity };
  }
  app.addHook('onRequest', async (request) => {
    who.set(request, await settle(request));
  });

  function signedIn(request: FastifyRequest): Extract<Who, { state: 'in' }> {
    const w = who.get(request) ?? { state: 'out' };
    if (w.state === 'in') return w;
    if (w.state === 'ended') throw new HttpError(401, 'session-ended', 'your session has ended: sign in again');
    throw new HttpError(401, 'not-signed-in', 'sign in first');
  }
  const actor = (request: FastifyRequest): Actor => {
    const { identity } = signedIn(request);
    return { id: identity.id, role: identity.role, teams: identity.teams };
  };

  const throttle = await registerSignInThrottle(app);
  app.post('/api/session', { preHandler: throttle.before }, async (request, reply) => {
    const { id, password } = parse(SignInSchema, request.body);
    const account = find(id);
    // Verify against a dummy hash for unknown ids too, so timing does not tell which ids exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) {
      throttle.failed(id);
      await signInFailed(request, id, account ? 'wrong-password' : 'unknown-id');
      throw new HttpError(401, 'wrong-credentials', 'unknown id or wrong password');
    }
    throttle.succeeded(id);
    await startSession(request, reply, { id: account.id, name: account.name, role: account.role, teams: account.teams, source: 'local' });
    return me(signedIn(request));
  });
  app.get('/api/session', async (request) => me(signedIn(request)));
  app.delete('/api/session', async (request, reply) => {
    await endSession(request, reply);
    return { signedOut: true };
  });

  // An admin ends every session of a person (a lost laptop, a leaver) and lifts a sign-in delay.
  const admin = (request: FastifyRequest) => {
    const a = actor(request);
    if (scopeOf(a, 'accounts.manage') === null) throw new HttpError(403, 'role-required', 'only an admin may do this', { role: 'admin' });
    return a;
  };
  app.delete('/api/sessions/:accountId', async (request) => {
    const a = admin(request);
    const { accountId } = parse(AccountParam, request.params);
    const ended = await revokeAccountSessions(o.records.db, accountId, Date.now());
    await o.log(request, a, { action: 'account.end-sessions', outcome: 'allowed', details: { account: accountId, ended } });
    return { accountId, ended };
  });
  app.delete('/api/sign-in-failures/:accountId', async (request) => {
    const a = admin(request);
    const { accountId } = parse(AccountParam, request.params);
    throttle.succeeded(accountId);
    await o.log(request, a, { action: 'account.lift-sign-in-delay', outcome: 'allowed', details: { account: accountId } });
    return { accountId, lifted: true };
  });

  return actor;
}

const me = ({ identity, account }: Extract<Who, { state: 'in' }>) => ({
  id: identity.id,
  name: account?.name ?? identity.name,
  role: identity.role,
  teams: identity.teams,
  language: account?.language ?? null,
  source: identity.source,
});

/** A valid hash of a random password, to spend the same time on unknown ids. */
const DUMMY_HASH = `scrypt$16384$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;
