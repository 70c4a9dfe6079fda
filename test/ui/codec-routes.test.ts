import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileRecords } from '../support/records';
import { pageAccessLog, type Records } from '../../records';
import { AesGcmCodec } from '../../codec/aes-codec';
import { clientDataConverter } from '../../codec/data-converter';
import type { Account } from '../../ui/server/accounts';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { testKeyring } from '../support/keys';

/** The remote codec the Temporal Web UI calls: sign-in, CORS, decoding, and its log lines. */
const UI = 'http://localhost:8233';
const SECRET = 'test-secret-test-secret-test-secret';
let app: FastifyInstance;
let records: Records;
const log: Record<string, unknown>[] = [];
// The codec needs no server: the client's connection is lazy and never used here.
const client = new Client({ dataConverter: clientDataConverter(testKeyring) });

const account = async (id: string, role: Account['role']): Promise<Account> => ({ id, name: `Staff ${id}`, role, teams: ['outreach'], passwordHash: await hashPassword(`pw-${id}`) });
async function cookieOf(id: string) {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { id, password: `pw-${id}` } });
  expect(res.statusCode).toBe(200);
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
const json = (p: Payload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});
const note = defaultPayloadConverter.toPayload({ text: 'KANARIEFUGL at the harbour' });
const sealed = async () => json((await new AesGcmCodec(testKeyring, 'throw').encode([note]))[0]!);
const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers: { origin: UI, 'x-namespace': 'default', ...headers } });

beforeAll(async () => {
  records = await fileRecords();
  app = await buildApp({
    records,
    client,
    taskQueue: 'unused',
    accounts: [await account('ow1', 'coordinator'), await account('adm', 'admin'), await account('mr1', 'municipal-reader')],
    sessionSecret: SECRET,
    codecOrigins: [UI],
    logger: { stream: { write: (line) => void log.push(JSON.parse(line) as Record<string, unknown>) } },
  });
});
afterAll(() => app?.close());

describe('the codec endpoints', () => {
  it('answer the Web UI its CORS preflight, and no other origin', async () => {
    const ok = await app.inject({
      method: 'OPTIONS',
      url: '/api/codec/decode',
      headers: { origin: UI, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(ok.statusCode).toBe(204);
    expect(ok.headers['access-control-allow-origin']).toBe(UI);
    expect(ok.headers['access-control-allow-credentials']).toBe('true');
    expect(String(ok.headers['access-control-allow-headers']).toLowerCase()).toContain('x-namespace');
    expect(String(ok.headers['access-control-allow-methods'])).toContain('POST');
    const other = await app.inject({ method: 'OPTIONS', url: '/api/codec/decode', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.statusCode).toBe(403);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answer 401 without a session, with CORS headers so the Web UI can read why', async () => {
    const res = await post('/api/codec/decode', { payloads: [await sealed()] });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'not-signed-in' });
    expect(res.headers['access-control-allow-origin']).toBe(UI);
    expect(res.body).not.toContain('KANARIEFUGL');
    expect((await post('/api/codec/encode', { payloads: [json(note)] })).statusCode).toBe(401);
  });

  it('decode for the municipality-wide reader only, pass unencrypted payloads through, and put each decode in the access log without its contents', async () => {
    const refused = await post('/api/codec/decode', { payloads: [await sealed()] }, { cookie: await cookieOf('ow1') });
    expect([refused.statusCode, refused.json().params]).toEqual([403, { role: 'municipal-reader' }]);
    const cookie = await cookieOf('mr1');
    const plain = json(defaultPayloadConverter.toPayload('old'));
    const res = await post('/api/codec/decode', { payloads: [await sealed(), plain] }, { cookie });
    expect(res.statusCode).toBe(200);
    const [decoded, passed] = res.json<{ payloads: { metadata: Record<string, string>; data: string }[] }>().payloads;
    expect(Buffer.from(decoded!.data, 'base64').toString()).toContain('KANARIEFUGL');
    expect(Buffer.from(decoded!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(passed).toEqual(plain);
    const decodes = (await pageAccessLog(records.db, { limit: 1000 })).filter((e) => e.action === 'codec.decode');
    expect(decodes.map((e) => [e.actor.id, e.outcome, e.details.payloads])).toEqual([
      ['ow1', 'refused', 1],
      ['mr1', 'allowed', 2],
    ]);
    expect(JSON.stringify(decodes) + log.map((l) => JSON.stringify(l)).join('\n')).not.toContain('KANARIEFUGL');
  });

  it('refuse what does not decrypt, and another namespace, with 400', async () => {
    const cookie = await cookieOf('mr1');
    const bad = await sealed();
    bad.data = Buffer.from(Buffer.from(bad.data, 'base64').map((b, i) => (i === 20 ? b ^ 1 : b))).toString('base64');
    const res = await post('/api/codec/decode', { payloads: [bad] }, { cookie });
    expect([res.statusCode, res.json().code]).toEqual([400, 'invalid-request']);
    const other = await post('/api/codec/decode', { payloads: [await sealed()] }, { cookie, 'x-namespace': 'elsewhere' });
    expect([other.statusCode, other.json().params]).toEqual([400, { field: 'x-namespace' }]);
    expect((await post('/api/codec/decode', { payloads: 'nope' }, { cookie })).statusCode).toBe(400);
  });

  it('encode for admins only: a payload anyone signed in could encode would let them forge an action on port 7233', async () => {
    const refused = await post('/api/codec/encode', { payloads: [json(note)] }, { cookie: await cookieOf('ow1') });
    expect([refused.statusCode, refused.json()]).toEqual([403, expect.objectContaining({ code: 'role-required', params: { role: 'admin' } })]);
    const res = await post('/api/codec/encode', { payloads: [json(note)] }, { cookie: await cookieOf('adm') });
    expect(res.statusCode).toBe(200);
    const [encoded] = res.json<{ payloads: ReturnType<typeof json>[] }>().payloads;
    expect(Buffer.from(encoded!.metadata['encryption-key-id']!, 'base64').toString()).toBe(testKeyring.active);
    const back = await post('/api/codec/decode', { payloads: [encoded] }, { cookie: await cookieOf('mr1') });
    expect(back.json().payloads[0]).toEqual(json(note));
  });
});
