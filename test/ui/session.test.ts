import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { watchedAccounts, type Account } from '../../ui/server/accounts';
import { buildApp, type AppOptions } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { loadApiSettings } from '../../ui/server/settings';
import { fileRecords } from '../support/records';

/**
 * Sessions, sign-in throttling and the API's headers. No route here reaches Temporal (every
 * answer is settled before a workflow is asked), so the client never connects.
 */
const SECRET = 'test-secret-test-secret-test-secret';
const client = new Client();
const apps: FastifyInstance[] = [];
const dir = mkdtempSync(join(tmpdir(), 'accounts-'));
const accountsPath = join(dir, 'accounts.json');
let accounts: Account[];
let tick = 0;

/** Rewrites the accounts file, as `npm run account` does, with a new modification time. */
function writeAccounts(list: Account[]) {
  writeFileSync(accountsPath, JSON.stringify({ accounts: list }));
  const t = new Date(Date.now() + ++tick * 1000);
  utimesSync(accountsPath, t, t);
}

const account = async (id: string, role: Account['role'], teams: string[]): Promise<Account> => ({
  id,
  name: `Staff ${id}`,
  role,
  teams,
  passwordHash: await hashPassword(`pw-${id}`),
});

beforeAll(async () => {
  accounts = await Promise.all([
    account('ow1', 'coordinator', ['outreach']),
    account('ow2', 'coordinator', ['outreach']),
    account('ow3', 'coordinator', ['outreach']),
    account('adm', 'admin', []),
    account('gone', 'coordinator', ['outreach']),
  ]);
  writeAccounts(accounts);
});
afterAll(async () => {
  for (const a of apps) await a.close();
});

async function app(o: Partial<AppOptions> = {}) {
  const a = await buildApp({ records: await fileRecords(), client, taskQueue: 'unused', accounts: watchedAccounts(accountsPath), sessionSecret: SECRET, ...o });
  apps.push(a);
  return a;
}
/** The cookie a browser keeps: the last Set-Cookie of a name wins (a new session's comes after the old one's clearing). */
const cookieOf = (res: { cookies: { name: string; value: string }[] }) =>
  [...new Map(res.cookies.map((c) => [c.name, c.value])).entries()].map(([n, v]) => `${n}=${v}`).join('; ');
async function signIn(a: FastifyInstance, id: string, o: { cookie?: string; password?: string } = {}) {
  const res = await a.inject({ method: 'POST', url: '/api/session', headers: o.cookie ? { cookie: o.cookie } : {}, payload: { id, password: o.password ?? `pw-${id}` } });
  expect(res.statusCode, res.body).toBe(200);
  return cookieOf(res);
}
const whoAmI = (a: FastifyInstance, cookie: string) => a.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
const ended = { error: 'your session has ended: sign in again', code: 'session-ended' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('server-side sessions', () => {
  it('a cookie copied before sign-out answers 401 session-ended afterwards', async () => {
    const a = await app();
    const cookie = await signIn(a, 'ow1');
    expect((await whoAmI(a, cookie)).statusCode).toBe(200);
    const out = await a.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    expect(out.statusCode).toBe(200);
    const copy = await whoAmI(a, cookie);
    expect(copy.statusCode).toBe(401);
    expect(copy.json()).toEqual(ended);
    const pathways = await a.inject({ method: 'GET', url: '/api/pathways', headers: { cookie } });
    expect([pathways.statusCode, pathways.json().code]).toEqual([401, 'session-ended']);
  });

  it('gives a new session id at each sign-in and ends the one the browser had', async () => {
    const a = await app();
    const first = await signIn(a, 'ow1');
    const second = await signIn(a, 'ow1', { cookie: first });
    expect(second).not.toBe(first);
    expect((await whoAmI(a, second)).statusCode).toBe(200);
    expect((await whoAmI(a, first)).json()).toEqual(ended);
  });

  it('keeps sessions in the record store, so a restarted API still knows them', async () => {
    const cookie = await signIn(await app(), 'ow1');
    const again = await app();
    expect((await whoAmI(again, cookie)).json()).toMatchObject({ id: 'ow1', role: 'coordinator', teams: ['outreach'] });
  });

  it('ends every session of an account whose password, role or teams change, or that is removed', async () => {
    const a = await app();
    const before = { ow1: await signIn(a, 'ow1'), ow2: await signIn(a, 'ow2'), ow3: await signIn(a, 'ow3'), gone: await signIn(a, 'gone'), adm: await signIn(a, 'adm') };
    const [ow1, ow2, ow3, adm] = accounts as [Account, Account, Account, Account];
    writeAccounts([
      { ...ow1, passwordHash: await hashPassword('new-password') },
      { ...ow2, role: 'supervisor' },
      { ...ow3, teams: ['care-place'] },
      adm,
    ]);
    try {
      for (const id of ['ow1', 'ow2', 'ow3', 'gone'] as const) expect((await whoAmI(a, before[id])).json(), id).toEqual(ended);
      expect((await whoAmI(a, before.adm)).statusCode).toBe(200);
      // A new sign-in works with what the file now says.
      expect((await whoAmI(a, await signIn(a, 'ow2'))).json()).toMatchObject({ role: 'supervisor' });
    } finally {
      writeAccounts(accounts);
    }
  });

  it('ends a session left unused longer than the idle timeout', async () => {
    const a = await app({ sessionIdleMinutes: 1 / 60 });
    const cookie = await signIn(a, 'ow1');
    await sleep(400);
    expect((await whoAmI(a, cookie)).statusCode).toBe(200);
    await sleep(1_300);
    expect((await whoAmI(a, cookie)).json()).toEqual(ended);
  });

  it('ends a session at its absolute lifetime however much it is used', async () => {
    const a = await app({ sessionMaxHours: 1.5 / 3600 });
    const cookie = await signIn(a, 'ow1');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await whoAmI(a, cookie)).statusCode);
      await sleep(400);
    }
    expect(statuses[0]).toBe(200);
    expect(statuses.at(-1)).toBe(401);
    expect((await whoAmI(a, cookie)).json()).toEqual(ended);
  });

  it('lets an admin, and only an admin, end all of a person’s sessions', async () => {
    const a = await app();
    const laptop = await signIn(a, 'ow2');
    const phone = await signIn(a, 'ow2');
    const other = await signIn(a, 'ow1');
    const refused = await a.inject({ method: 'DELETE', url: '/api/sessions/ow2', headers: { cookie: other } });
    expect([refused.statusCode, refused.json().code]).toEqual([403, 'role-required']);
    expect((await whoAmI(a, laptop)).statusCode).toBe(200);
    const res = await a.inject({ method: 'DELETE', url: '/api/sessions/ow2', headers: { cookie: await signIn(a, 'adm') } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accountId: 'ow2' });
    expect(res.json().ended).toBeGreaterThanOrEqual(2);
    expect((await whoAmI(a, laptop)).json()).toEqual(ended);
    expect((await whoAmI(a, phone)).json()).toEqual(ended);
    expect((await whoAmI(a, other)).statusCode).toBe(200);
  });
});

describe('sign-in throttling', () => {
  const attempt = (a: FastifyInstance, id: string, password: string, remoteAddress = '127.0.0.1', headers: Record<string, string> = {}) =>
    a.inject({ method: 'POST', url: '/api/session', payload: { id, password }, remoteAddress, headers });

  it('answers 429 with Retry-After to 30 quick wrong passwords, and holds back the right one until an admin lifts the delay', async () => {
    const a = await app();
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await attempt(a, 'ow3', `wrong-${i}`, '203.0.113.5'));
    const statuses = answers.map((r) => r.statusCode);
    // Five failures pass; then the account waits, and at most 10 attempts a minute are let through to the hash.
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    const limited = answers.at(-1)!;
    expect(limited.json().code).toBe('rate-limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt(a, 'ow3', 'pw-ow3', '203.0.113.6')).statusCode).toBe(429);

    const coordinator = await signIn(a, 'ow1');
    const refused = await a.inject({ method: 'DELETE', url: '/api/sign-in-failures/ow3', headers: { cookie: coordinator } });
    expect(refused.statusCode).toBe(403);
    const lifted = await a.inject({ method: 'DELETE', url: '/api/sign-in-failures/ow3', headers: { cookie: await signIn(a, 'adm') } });
    expect(lifted.statusCode).toBe(200);
    // The per-account rate limit still counts this minute's attempts; another address and account is unaffected.
    expect((await attempt(a, 'ow2', 'pw-ow2', '10.0.0.9')).statusCode).toBe(200);
  });

  it('makes an account wait longer after each further failure, whatever the address, until an admin lifts it', async () => {
    const a = await app();
    for (let i = 0; i < 5; i++) expect((await attempt(a, 'ow1', 'wrong', `10.0.1.${i}`)).statusCode).toBe(401);
    const first = await attempt(a, 'ow1', 'pw-ow1', '10.0.2.1');
    expect([first.statusCode, first.headers['retry-after']]).toEqual([429, '2']);
    await sleep(2_100);
    expect((await attempt(a, 'ow1', 'wrong', '10.0.1.9')).statusCode).toBe(401);
    const longer = await attempt(a, 'ow1', 'pw-ow1', '10.0.2.1');
    expect([longer.statusCode, longer.headers['retry-after']]).toEqual([429, '4']);
    await a.inject({ method: 'DELETE', url: '/api/sign-in-failures/ow1', headers: { cookie: await signIn(a, 'adm') } });
    expect((await attempt(a, 'ow1', 'pw-ow1', '10.0.2.1')).statusCode).toBe(200);
  });

  it('limits one client address across accounts, and ignores X-Forwarded-For unless a proxy is trusted', async () => {
    const a = await app();
    const statuses = [];
    for (let i = 0; i < 31; i++) statuses.push((await attempt(a, `guess${i}`, 'x', '192.0.2.7', { 'x-forwarded-for': `198.51.100.${i}` })).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);

    const behindProxy = await app({ trustProxy: ['192.0.2.7'] });
    for (let i = 0; i < 31; i++) expect((await attempt(behindProxy, `guess${i}`, 'x', '192.0.2.7', { 'x-forwarded-for': `198.51.100.${i}` })).statusCode).toBe(401);
  });

  it('refuses a body over 16 KiB with 413, before parsing it', async () => {
    const a = await app();
    const nested = '['.repeat(512 * 1024) + ']'.repeat(512 * 1024);
    const res = await a.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: nested });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'invalid-request', params: { field: 'body' } });
  });
});

describe('headers and origins', () => {
  it('sends a strict CSP, no framing, nosniff and no referrer with the UI, and no-store on the API', async () => {
    const a = await app({ webRoot: inject('webRoot') });
    const page = await a.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers).toMatchObject({ 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' });
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const api = await a.inject({ method: 'GET', url: '/api/session' });
    expect(api.headers['cache-control']).toBe('no-store');
  });

  it('trusts X-Forwarded-Proto only from a trusted proxy: then HSTS is sent and the cookie is Secure', async () => {
    const direct = await app();
    const spoofed = await direct.inject({ method: 'POST', url: '/api/session', headers: { 'x-forwarded-proto': 'https' }, payload: { id: 'ow1', password: 'pw-ow1' } });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    expect(String(spoofed.headers['set-cookie'])).not.toMatch(/Secure/);

    const behindProxy = await app({ trustProxy: 1 });
    const res = await behindProxy.inject({ method: 'POST', url: '/api/session', headers: { 'x-forwarded-proto': 'https' }, payload: { id: 'ow1', password: 'pw-ow1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(String(res.headers['set-cookie'])).toMatch(/Secure/);
    expect(String(res.headers['set-cookie'])).toMatch(/SameSite=Strict/);
    expect(String(spoofed.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('refuses a state-changing request from another origin with 403 forbidden', async () => {
    const a = await app();
    const cookie = await signIn(a, 'ow1');
    const cross = await a.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, host: 'localhost:3000', origin: 'https://evil.example' } });
    expect([cross.statusCode, cross.json().code]).toEqual([403, 'forbidden']);
    expect((await whoAmI(a, cookie)).statusCode).toBe(200);
    const same = await a.inject({ method: 'DELETE', url: '/api/session', headers: { cookie, host: 'localhost:3000', origin: 'http://localhost:3000' } });
    expect(same.statusCode).toBe(200);
  });

  it('answers unknown routes and methods with a body that names no route', async () => {
    const a = await app();
    for (const [method, url] of [['PUT', '/api/session'], ['GET', '/api/nothing-here']] as const) {
      const res = await a.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: 'not found', code: 'not-found' });
    }
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy unless told, and reads a hop count or addresses and ranges', () => {
    expect(loadApiSettings({}).TRUST_PROXY).toBeUndefined();
    expect(loadApiSettings({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadApiSettings({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadApiSettings({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
  });
});
