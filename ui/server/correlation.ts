import { AsyncLocalStorage } from 'node:async_hooks';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { CORRELATION_HEADER } from '../../workflows/correlation';

/** The correlation id of the HTTP request being served, wherever its work goes on. */
const current = new AsyncLocalStorage<string>();

/** Serves each request inside its correlation id (the request id, also its X-Correlation-Id answer header). */
export function registerCorrelation(app: FastifyInstance) {
  app.addHook('onRequest', (request, _reply, done) => current.run(request.id, done));
}

const header = (): Record<string, Payload> => {
  const id = current.getStore();
  return id ? { [CORRELATION_HEADER]: defaultPayloadConverter.toPayload(id) } : {};
};

/** For the API's client: a start or Update sent while serving a request carries its id to the workflow. */
export const correlationClientInterceptor: WorkflowClientInterceptor = {
  start: (input, next) => next({ ...input, headers: { ...input.headers, ...header() } }),
  startUpdate: (input, next) => next({ ...input, headers: { ...input.headers, ...header() } }),
  startUpdateWithStart: (input, next) =>
    next({ ...input, workflowStartHeaders: { ...input.workflowStartHeaders, ...header() }, updateHeaders: { ...input.updateHeaders, ...header() } }),
};
