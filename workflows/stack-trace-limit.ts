/**
 * The SDK keeps a stack trace for every promise a workflow makes (for its `__stack_trace`
 * query), each frame mapped through the bundle's source map: measured, that was about a third
 * of a pathway's workflow task. Three frames keep the top of a failing workflow's trace and of
 * the stack trace query, at a fraction of the cost. It is set in the workflows' own realm,
 * once per worker, while the shared modules are preloaded (workflows/shared-modules.ts): after
 * that the SDK has frozen `Error`, and a workflow that tried would fail its task.
 */
if (Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')?.writable) Error.stackTraceLimit = 3;

export {};
