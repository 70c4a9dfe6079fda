import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

/** Where and how much the API logs: pino's JSON lines, to stdout unless a stream is given. */
export interface LogOptions {
  level?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  stream?: { write(line: string): void };
}

/**
 * Sessions and passwords must never reach a log, nor citizen data from request bodies (a note's
 * free text may name someone): bodies are never serialised, and these paths are censored anyway.
 */
export const REDACTED_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  'req.body',
  'body',
  '*.body',
  'password',
  '*.password',
];

/** A request as a log line shows it: no body, headers with secrets censored by REDACTED_PATHS. */
const req = (r: FastifyRequest) => ({ method: r.method, url: r.url, remoteAddress: r.ip, headers: r.headers });

/** Fastify's logger and request-id options: a random id per request, which a 5xx hands back. */
export function loggingOptions(log: LogOptions | false | undefined): Pick<FastifyServerOptions, 'logger' | 'genReqId' | 'requestIdHeader'> {
  return {
    // Never taken from the client, so a log line cannot be made to carry someone else's id.
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    logger: log
      ? {
          level: log.level ?? 'info',
          ...(log.stream ? { stream: log.stream } : {}),
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          serializers: { req },
        }
      : false,
  };
}

/** Every answer names its request, so a user can quote it and an operator find its log lines. */
export function correlationHeader(request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (err: null, payload: unknown) => void) {
  reply.header('x-correlation-id', request.id);
  done(null, payload);
}
