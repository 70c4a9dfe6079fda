/**
 * The modules every workflow shares in a worker: evaluated once, before the first workflow,
 * instead of once per cached workflow (worker/create-worker.ts preloads this one module, and
 * what it imports comes along: the workflows, the statechart, the zod schemas, zod and xstate).
 * They were most of a cached pathway's memory.
 *
 * The SDK deep-freezes what it shares, so a workflow cannot leak state into another. zod
 * caches on its schemas on first use (bound methods, derived internals, the memoizer's first
 * parse) and would then write to a frozen object; `settle` does that first use here, before
 * the freeze. test/workflows/shared-modules.test.ts freezes these modules as the SDK does and
 * parses every command through them.
 */
import './stack-trace-limit';
import * as facilityMessages from './facility-messages';
import * as machines from '../machines';
import * as messages from './messages';
import * as workflows from './index';

type Schema = { _zod: { run(payload: { value: unknown; issues: unknown[] }, ctx: object): unknown } };
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && '_zod' in v;

/** Reads every accessor along `target`'s prototypes, which is what makes zod cache its values. */
function readAccessors(target: object): void {
  for (let proto = Object.getPrototypeOf(target); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of Reflect.ownKeys(proto)) {
      if (!Object.getOwnPropertyDescriptor(proto, key)?.get) continue;
      try {
        void (target as Record<PropertyKey, unknown>)[key];
      } catch {
        // A derived value that cannot be computed for this schema is not used by it either.
      }
    }
  }
}

/** Settles every schema reachable from `root` through own properties, as the freeze reaches them. */
export function settle(root: unknown, seen = new WeakSet<object>()): void {
  if ((typeof root !== 'object' && typeof root !== 'function') || root === null || seen.has(root)) return;
  seen.add(root);
  if (typeof root === 'function') return; // the freeze does not look inside functions either
  if (isSchema(root)) {
    readAccessors(root);
    readAccessors(root._zod);
    try {
      root._zod.run({ value: undefined, issues: [] }, {}); // the memoizer decides on its first parse
    } catch {
      // Refusing `undefined` is the point of most schemas; only the first run mattered.
    }
  }
  for (const key of Reflect.ownKeys(root)) {
    let value: unknown;
    try {
      value = (root as Record<PropertyKey, unknown>)[key];
    } catch {
      continue;
    }
    settle(value, seen);
  }
}

settle([machines, messages, facilityMessages, workflows]);
