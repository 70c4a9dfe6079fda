import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './errors';

/** HSTS for a year, sent only over TLS (a browser ignores it over plain HTTP, and a test server has none). */
const HSTS = 'max-age=31536000; includeSubDomains';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const CODEC_PREFIX = '/api/codec/';

/**
 * Browser-facing defences: a strict Content-Security-Policy the built UI satisfies (no inline
 * script or style in ui/web/dist), no framing, no sniffing, no referrer; API answers are never
 * cached (they carry personal data); and a state-changing request from another origin is refused.
 */
export async function registerHardening(app: FastifyInstance, o: { codecOrigins: readonly string[] }): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        manifestSrc: ["'self'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: false,
    crossOriginEmbedderPolicy: false,
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    if (request.url.startsWith('/api')) reply.header('cache-control', 'no-store');
    const origin = request.headers.origin;
    // SameSite=Strict keeps the cookie off cross-site requests; this refuses them outright, signed in or not.
    // The Temporal Web UI's origin may call the codec endpoints (codec-routes.ts answers its CORS).
    const codecCaller = request.url.startsWith(CODEC_PREFIX) && origin !== undefined && o.codecOrigins.includes(origin);
    if (origin !== undefined && STATE_CHANGING.has(request.method) && !codecCaller && origin !== `${request.protocol}://${request.host}`) {
      throw new HttpError(403, 'forbidden', 'this request came from another origin');
    }
  });
}
