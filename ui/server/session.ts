import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { StaffIdSchema, type Actor } from '../../machines';
import type { Account } from './accounts';
import { HttpError, parse } from './errors';
import type { Identity } from './oidc-claims';
import type { SessionPort } from './oidc';
import { verifyPassword } from './passwords';

export interface SessionOptions {
  /** The accounts, or a function giving the current ones (a file that may change). */
  accounts: Account[] | (() => Account[]);
  sessionHours?: number;
}

const SESSION = 'session';
const SignInSchema = z.object({ id: StaffIdSchema, password: z.string().min(1).max(1000) }).strict();

/** Sign-in, the session cookie and who is asking; returns the function routes use to name the actor. */
export function registerSession(app: FastifyInstance, o: SessionOptions): (request: FastifyRequest) => Actor {
  const accounts = o.accounts;
  const find = (id: string) => (typeof accounts === 'function' ? accounts() : accounts).find((a) => a.id === id);
  const sessionMs = (o.sessionHours ?? 10) * 3_600_000;

  function signedIn(request: FastifyRequest): Person {
    const raw = request.cookies[SESSION];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (!unsigned?.valid || !unsigned.value) throw new HttpError(401, 'not-signed-in', 'sign in first');
    const [id, expires] = unsigned.value.split('|');
    const account = id?.startsWith(VIA_OIDC) ? fromOidc(id) : id ? find(id) : undefined;
    if (!account || Number(expires) < Date.now()) throw new HttpError(401, 'session-ended', 'your session has ended: sign in again');
    return account;
  }

  app.post('/api/session', async (request, reply) => {
    const { id, password } = parse(SignInSchema, request.body);
    const account = find(id);
    // Verify against a dummy hash for unknown ids too, so timing does not tell which ids exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) throw new HttpError(401, 'wrong-credentials', 'unknown id or wrong password');
    reply.setCookie(SESSION, `${account.id}|${Date.now() + sessionMs}`, {
      signed: true,
      httpOnly: true,
      sameSite: 'strict',
      secure: 'auto',
      path: '/',
      maxAge: sessionMs / 1000,
    });
    return me(account);
  });
  app.get('/api/session', async (request) => me(signedIn(request)));
  app.delete('/api/session', async (_request, reply) => {
    reply.clearCookie(SESSION, { path: '/' });
    return { signedOut: true };
  });

  return (request) => {
    const p = signedIn(request);
    return { id: p.id, role: p.role, teams: p.teams };
  };
}

type Person = Pick<Account, 'id' | 'name' | 'role' | 'teams' | 'language'>;
const me = (a: Person) => ({ id: a.id, name: a.name, role: a.role, teams: a.teams, language: a.language ?? null });

/** A valid hash of a random password, to spend the same time on unknown ids. */
const DUMMY_HASH = `scrypt$16384$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;

/**
 * Adapter for OpenID Connect sign-ins on the signed session cookie: the identity rides in the
 * cookie itself (signed, so unforgeable). Replaced by server-side sessions (issue 12, item 1).
 */
const VIA_OIDC = 'oidc:';
const fromOidc = (id: string): Person => {
  const i = JSON.parse(Buffer.from(id.slice(VIA_OIDC.length), 'base64url').toString('utf8')) as Identity;
  return { id: i.id, name: i.name, role: i.role, teams: i.teams };
};
export function cookieSessions(sessionHours = 10): SessionPort {
  const ms = sessionHours * 3_600_000;
  return {
    startSession: (_request, reply, identity) => {
      const value = VIA_OIDC + Buffer.from(JSON.stringify(identity)).toString('base64url');
      reply.setCookie(SESSION, `${value}|${Date.now() + ms}`, { signed: true, httpOnly: true, sameSite: 'strict', secure: 'auto', path: '/', maxAge: ms / 1000 });
    },
    endSession: (_request, reply) => void reply.clearCookie(SESSION, { path: '/' }),
  };
}
