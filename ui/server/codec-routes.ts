/**
 * Temporal's remote codec protocol (POST /api/codec/decode and /api/codec/encode, JSON Payloads with
 * base64 fields), so the Temporal Web UI can show the payloads the worker encrypted: to signed-in
 * staff only, and to the Web UI's origin only (it calls us cross-origin, with our session cookie
 * when its codec settings include credentials). Decoding is a read of citizens' data, so each
 * one is in the access log (who, how many payloads, which namespace; never the contents).
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { scopeOf, type Actor } from '../../machines';
import type { AccessLog } from './access-log';
import { isEncrypted } from '../../codec/aes-codec';
import { HttpError, parse } from './errors';

export interface CodecRouteOptions {
  client: Client;
  actor: (request: FastifyRequest) => Actor;
  log: AccessLog;
  /** Origins allowed to call cross-origin with credentials: the Temporal Web UI's. */
  origins?: readonly string[];
}

const base64 = z.string().max(8 * 2 ** 20).regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'expected base64');
const PayloadsSchema = z.object({
  payloads: z.array(z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() })).max(10_000),
});
type JsonPayload = z.infer<typeof PayloadsSchema>['payloads'][number];

const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, 'base64'));
const b64 = (u: Uint8Array | null | undefined) => Buffer.from(u ?? new Uint8Array()).toString('base64');
const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, bytes(v)])),
  data: bytes(p.data ?? ''),
});
const toJson = (p: Payload): JsonPayload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, b64(v)])),
  data: b64(p.data),
});

const ALLOWED_HEADERS = 'Content-Type, X-Namespace';

export function registerCodecRoutes(app: FastifyInstance, o: CodecRouteOptions): void {
  const codecs: PayloadCodec[] = o.client.options.loadedDataConverter.payloadCodecs;
  const namespace = o.client.options.namespace;
  const origins = new Set(o.origins ?? []);

  /** CORS for an allowed origin; other origins get no CORS headers, so browsers keep the answer from them. */
  const cors = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    reply.header('vary', 'Origin');
    if (!origin || !origins.has(origin)) return false;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-credentials', 'true');
    return true;
  };

  app.options('/api/codec/:op', async (request, reply) => {
    if (!cors(request, reply)) throw new HttpError(403, 'forbidden', 'this origin may not call the codec');
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    reply.header('access-control-allow-headers', ALLOWED_HEADERS);
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  });

  /** Who asks (401 without a session), and the payloads, checked. */
  const read = (request: FastifyRequest, reply: FastifyReply) => {
    cors(request, reply);
    const actor = o.actor(request);
    const asked = request.headers['x-namespace'];
    if (asked !== undefined && asked !== namespace) {
      throw new HttpError(400, 'invalid-request', `x-namespace: this codec serves namespace ${namespace}`, { field: 'x-namespace' });
    }
    return { actor, payloads: parse(PayloadsSchema, request.body).payloads.map(fromJson) };
  };

  const limits = { bodyLimit: 16 * 2 ** 20 };

  app.post('/api/codec/decode', limits, async (request, reply) => {
    const { actor, payloads } = read(request, reply);
    // Decoding shows any pathway's data: only the municipality-wide reading role may.
    if (scopeOf(actor, 'codec.decode') === null) {
      await o.log(request, actor, { action: 'codec.decode', outcome: 'refused', details: { payloads: payloads.length, namespace } });
      throw new HttpError(403, 'role-required', 'only the municipality-wide reader may decode payloads', { role: 'municipal-reader' });
    }
    // Payloads from before encryption pass as they are: they were never secret.
    let decoded: Payload[];
    try {
      decoded = await Promise.all(payloads.map(async (p) => (isEncrypted(p) ? (await decodeAll(codecs, [p]))[0]! : p)));
    } catch (err) {
      throw new HttpError(400, 'invalid-request', `payloads: ${(err as Error).message}`, { field: 'payloads' });
    }
    await o.log(request, actor, { action: 'codec.decode', outcome: 'allowed', details: { payloads: payloads.length, namespace } });
    return { payloads: decoded.map(toJson) };
  });

  // Encoding makes payloads the worker accepts as genuine, so it is for admins only (the Web UI's
  // write actions need it; a coordinator could otherwise forge another person's action on port 7233).
  app.post('/api/codec/encode', limits, async (request, reply) => {
    const { actor, payloads } = read(request, reply);
    if (scopeOf(actor, 'codec.encode') === null) throw new HttpError(403, 'role-required', 'only an admin may encode payloads', { role: 'admin' });
    let encoded = payloads;
    for (const codec of codecs) encoded = await codec.encode(encoded);
    request.log.info({ codec: 'encode', by: actor.id, role: actor.role, payloads: payloads.length, namespace }, 'payloads encoded');
    return { payloads: encoded.map(toJson) };
  });
}

async function decodeAll(codecs: PayloadCodec[], payloads: Payload[]): Promise<Payload[]> {
  let out = payloads;
  for (const codec of [...codecs].reverse()) out = await codec.decode(out);
  return out;
}
