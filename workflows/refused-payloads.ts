/**
 * The worker's codec turns a payload not encrypted under a known key into `{ __refused: why }`
 * (codec/aes-codec.ts) rather than failing the task, which would retry forever. This
 * interceptor, bundled with the workflows, keeps such a value away from every handler, so
 * whoever reaches the gRPC port without the key can neither act nor wedge a pathway:
 * an Update is rejected by its validator (nothing written to history), a signal is dropped,
 * a query fails, and a start fails the workflow at once.
 */
import { ApplicationFailure, log, type WorkflowInboundCallsInterceptor, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { ActorSchema } from '../machines';
import { RejectionType } from './messages';

export const REFUSED_PAYLOAD = 'PayloadRefused';

/** Why the first refused argument was refused, or undefined when all are genuine. */
export function refusal(args: readonly unknown[]): string | undefined {
  for (const a of args) {
    if (typeof a === 'object' && a !== null && '__refused' in a) return String((a as { __refused: unknown }).__refused);
  }
  return undefined;
}

const refused = (why: string, type: string = REFUSED_PAYLOAD) =>
  ApplicationFailure.create({ type, message: `payload refused (${why}): it is not encrypted under a key of this deployment`, nonRetryable: true });

// Not async: returning `next`'s own promise adds no microtask hops, so commands keep the order
// they had before this interceptor existed and older histories replay unchanged.
const guard: WorkflowInboundCallsInterceptor = {
  execute(input, next) {
    const why = refusal(input.args);
    return why ? Promise.reject(refused(why)) : next(input);
  },
  handleSignal(input, next) {
    const why = refusal(input.args);
    if (!why) return next(input);
    log.warn('signal with a refused payload dropped', { signal: input.signalName, why });
    return Promise.resolve();
  },
  validateUpdate(input, next) {
    const why = refusal(input.args);
    if (why) throw refused(why, RejectionType.invalid);
    next(input);
  },
  // Only Updates without a validator get here with a refused payload: fail them before the handler runs.
  handleUpdate(input, next) {
    const why = refusal(input.args);
    return why ? Promise.reject(refused(why, RejectionType.invalid)) : next(input);
  },
  handleQuery(input, next) {
    const why = refusal(input.args);
    return why ? Promise.reject(refused(why)) : next(input);
  },
};

export const interceptors: WorkflowInterceptorsFactory = () => ({ inbound: [guard] });

/**
 * Validator for an Update that takes only an actor (`openUpdate`): without a validator, an Update
 * is accepted (two history events) before the interceptor can refuse its payload.
 */
export function validActor(actor: unknown): void {
  if (!ActorSchema.safeParse(actor).success) throw ApplicationFailure.create({ type: RejectionType.invalid, message: 'actor: malformed', nonRetryable: true });
}
