import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { RejectionType } from '../../workflows/messages';

/** An error with the HTTP status it deserves and a reason a person can act on. */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/** Parses `data` or answers 400 naming the first bad field. */
export function parse<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new HttpError(400, `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'malformed'}`);
}

const statusOfRejection: Record<string, 400 | 403 | 409> = {
  [RejectionType.invalid]: 400,
  [RejectionType.forbidden]: 403,
  [RejectionType.conflict]: 409,
  [RejectionType.stale]: 409,
};

/** Maps what Temporal and Fastify throw onto 4xx with a reason; anything else is a 500, logged. */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof HttpError) return reply.status(error.status).send({ error: error.message });
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const status = statusOfRejection[error.cause.type ?? ''];
    if (status) return reply.status(status).send({ error: error.cause.message, code: error.cause.type });
  }
  if (error instanceof WorkflowNotFoundError) return reply.status(404).send({ error: 'no such pathway' });
  if (/workflow execution already completed/i.test(error.message)) return reply.status(409).send({ error: 'the pathway is closed' });
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) return reply.status(status).send({ error: error.message });
  request.log.error({ err: error }, 'request failed');
  return reply.status(500).send({ error: 'internal error' });
}
