import { isGrpcServiceError, ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { RejectionType } from '../../workflows/messages';

type Params = Record<string, string | number>;
type Status = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 429 | 503;

/**
 * An error with the HTTP status it deserves, a stable `code` the web UI translates, and an
 * English reason for logs and scripts (the body is `{ error, code, params? }`).
 */
export class HttpError extends Error {
  constructor(
    readonly status: Status,
    readonly code: string,
    message: string,
    readonly params?: Params,
  ) {
    super(message);
  }
}

/** Parses `data` or answers 400 naming the first bad field. */
export function parse<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'request';
  throw new HttpError(400, 'invalid-request', `${field}: ${issue?.message ?? 'malformed'}`, { field });
}

/** Seconds a client should wait before retrying when the engine is busy or a worker is away. */
export const RETRY_AFTER_SECONDS = 5;

/** An unknown pathway, and one outside the asker's scope: the same answer, so existence does not leak. */
export const pathwayNotFound = () => new HttpError(404, 'not-found', 'no such pathway');

/** A pathway outside the asker's scope: answered exactly like an unknown one, logged as refused. */
export class OutOfScope extends HttpError {
  constructor() {
    const { status, code, message } = pathwayNotFound();
    super(status, code, message);
  }
}

export const unavailable = () => new HttpError(503, 'unavailable', 'the pathway engine did not answer in time: try again shortly');

const statusOfRejection: Record<string, 400 | 403 | 404 | 409> = {
  [RejectionType.invalid]: 400,
  [RejectionType.forbidden]: 403,
  [RejectionType.conflict]: 409,
  [RejectionType.stale]: 409,
  [RejectionType.notFound]: 404,
};
/** Codes for rejections that carry no refusal key (workflows started before refusals had keys). */
const codeOfRejection: Record<string, string> = {
  [RejectionType.invalid]: 'invalid-request',
  [RejectionType.forbidden]: 'forbidden',
  [RejectionType.conflict]: 'conflict',
  [RejectionType.stale]: 'stale-version',
  [RejectionType.notFound]: 'not-found',
};
/** A refusal's `why`, as the workflow puts it in the failure's details. */
const WhySchema = z.object({
  key: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

/** gRPC statuses that mean "not now" rather than "never": the server or a worker is out of reach or slow. */
const TRANSIENT_GRPC = new Set([4 /* DEADLINE_EXCEEDED */, 14 /* UNAVAILABLE */, 8 /* RESOURCE_EXHAUSTED */]);
export const isTransient = (error: unknown) =>
  error instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
  (isGrpcServiceError(error) && TRANSIENT_GRPC.has(error.code)) ||
  (error instanceof ServiceError && isGrpcServiceError(error.cause) && TRANSIENT_GRPC.has(error.cause.code));

/** An action refused because its run is ending (workflows/pathway.ts): the next run takes it, sent again. */
export const isRunEnding = (error: unknown) =>
  error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === RejectionType.busy;

/** What Temporal and Fastify throw, as an HttpError; undefined for a fault of ours (a 500). */
export function asHttpError(error: unknown): HttpError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error instanceof HttpError) return error;
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const type = error.cause.type ?? '';
    if (isRunEnding(error)) return new HttpError(503, 'run-ending', error.cause.message);
    const status = statusOfRejection[type];
    if (status) {
      const why = WhySchema.safeParse(error.cause.details?.[0]);
      return why.success
        ? new HttpError(status, why.data.key, error.cause.message, why.data.params)
        : new HttpError(status, codeOfRejection[type]!, error.cause.message);
    }
  }
  // Routes that act tell a closed pathway from an unknown one first (pathway-calls.ts).
  if (error instanceof WorkflowNotFoundError) return pathwayNotFound();
  if (isTransient(error)) return unavailable();
  const status = (error as FastifyError).statusCode;
  // Generic bodies: Fastify's own messages name routes.
  if (status === 404) return notFound();
  if (status === 405) return new HttpError(405, 'not-found', 'method not allowed');
  if (status === 413) return new HttpError(413, 'invalid-request', 'the request body is too large', { field: 'body' });
  if (status === 429) return new HttpError(429, 'rate-limited', error.message);
  // Fastify's own 4xx: malformed JSON, a wrong content type, a body too large.
  if (status && status >= 400 && status < 500) return new HttpError(400, 'invalid-request', error.message, { field: 'body' });
  return undefined;
}

/**
 * Maps errors onto `{ error, code, params? }`. A 5xx also carries the request's correlation id
 * (in the body and the X-Correlation-Id header), which the logged line carries as `reqId`.
 */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  const known = asHttpError(error);
  if (known && known.status < 500) {
    return reply.status(known.status).send({ error: known.message, code: known.code, ...(known.params ? { params: known.params } : {}) });
  }
  if (known) {
    request.log.warn({ err: error }, 'engine unavailable');
    reply.header('retry-after', String(RETRY_AFTER_SECONDS));
    return reply.status(known.status).send({ error: known.message, code: known.code, correlationId: request.id });
  }
  request.log.error({ err: error }, 'request failed');
  return reply.status(500).send({ error: 'internal error: quote the correlation id when reporting it', code: 'internal', correlationId: request.id });
}

const notFound = () => new HttpError(404, 'not-found', 'not found');

/** Unknown routes answer like everything else, without naming any route. */
export function notFoundHandler(_request: FastifyRequest, reply: FastifyReply) {
  return reply.status(404).send({ error: 'not found', code: 'not-found' });
}
