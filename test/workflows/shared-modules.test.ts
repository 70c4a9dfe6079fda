import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as machines from '../../machines';
import { persist, restore, step, viewOf } from '../../machines';
import * as workflows from '../../workflows';
import * as facilityMessages from '../../workflows/facility-messages';
import { judge } from '../../workflows/judge';
import * as messages from '../../workflows/messages';
import { settle } from '../../workflows/shared-modules';
import { outreachWorker } from '../support/actors';
import { statesNear } from '../support/every-event';

/**
 * The worker evaluates workflows/shared-modules.ts and what it imports once, and every cached
 * workflow uses them (worker/create-worker.ts). The SDK deep-freezes them first, so that no
 * workflow can change what another sees. Here they are frozen as the SDK freezes them, and
 * every command and every event goes through them: a write zod or the machine would make
 * on first use fails here, not in a pathway's workflow task.
 */

/** The SDK's own `deepFreeze` (@temporalio/worker, src/workflow/reusable-vm.ts), applied to what it preloads. */
function deepFreeze<T>(object: T, visited = new WeakSet<object>()): T {
  if (object == null || (typeof object !== 'object' && typeof object !== 'function') || visited.has(object)) return object;
  visited.add(object);
  if (Object.isFrozen(object)) return object;
  if (typeof object === 'object') {
    for (const name of [...Object.getOwnPropertyNames(object), ...Object.getOwnPropertySymbols(object)]) {
      const value = (object as Record<PropertyKey, unknown>)[name];
      if (value && (typeof value === 'object' || typeof value === 'function')) {
        try {
          deepFreeze(value, visited);
        } catch {
          // As the SDK: some objects cannot be frozen.
        }
      }
    }
  }
  return Object.freeze(object);
}

const shared = [machines, messages, facilityMessages, workflows];

/**
 * Paths to the patterns zod checks strings with, within the freeze's reach from `root`: such a
 * check (`.regex()`, `z.email()`, …) writes the pattern's `lastIndex` on each parse.
 */
function patterns(root: unknown, path: string, seen = new WeakSet<object>()): string[] {
  if (typeof root !== 'object' || root === null || seen.has(root)) return [];
  seen.add(root);
  if (root instanceof RegExp) return path.endsWith('.def.pattern') ? [path] : [];
  return Reflect.ownKeys(root).flatMap((key) => patterns((root as Record<PropertyKey, unknown>)[key], `${path}.${String(key)}`, seen));
}

describe('modules shared between cached workflows', () => {
  it('check no string against a pattern the freeze reaches (patterns stay in closures: machines/matches.ts)', () => {
    expect(shared.flatMap((ns, i) => Object.entries(ns).flatMap(([key, value]) => patterns(value, `${i}:${key}`)))).toEqual([]);
  });

  it('a zod schema frozen without settling fails on first use; settled, it parses', () => {
    const unsettled = deepFreeze(z.object({ id: z.string().min(1) }));
    expect(() => unsettled.safeParse({ id: 'x' })).toThrow(TypeError);
    const settled = z.object({ id: z.string().min(1) });
    settle(settled);
    deepFreeze(settled);
    expect(settled.safeParse({ id: 'x' }).success).toBe(true);
    expect(settled.safeParse({ id: '' }).success).toBe(false);
  });

  describe('once frozen as the SDK freezes them', () => {
    beforeAll(() => {
      for (const ns of shared) for (const value of Object.values(ns)) deepFreeze(value);
      expect(Object.isFrozen(machines.CommandSchema)).toBe(true);
      expect(Object.isFrozen(machines.pathwayMachine)).toBe(true);
    });

    it('judge every command from every state two steps in, well-formed or not, without a write to them', () => {
      let accepted = 0;
      let refused = 0;
      for (const { state, events } of statesNear(2)) {
        for (const { by, at, ...command } of events) {
          const request = { requestId: `request-${accepted + refused}`, expectedVersion: state.context.version, actor: by, command };
          for (const raw of [request, { ...request, command: { type: command.type } }, { ...request, command: { ...command, extra: 1 } }, { ...request, requestId: 'x' }, null, 'text']) {
            const j = judge(state, new Map(), raw, at);
            if (j.verdict === 'accept') {
              accepted++;
              const stepped = step(state, j.event).snapshot;
              expect(viewOf(restore(persist(stepped)), by).version).toBe(state.context.version + 1);
            } else refused++;
          }
        }
      }
      expect(accepted).toBeGreaterThan(100);
      expect(refused).toBeGreaterThan(accepted);
    });

    it('parse a start, a capacity and a policy, well-formed or not', () => {
      const start = { pathwayId: 'p-1', citizenRef: 'ref-1', citizenName: ' Ada ', team: 'outreach', by: outreachWorker };
      expect(messages.StartPathwaySchema.parse(start).citizenName).toBe('Ada');
      expect(messages.StartPathwaySchema.safeParse({ ...start, citizenRef: '010203-1234' }).success).toBe(false);
      expect(facilityMessages.SetCapacitySchema.safeParse({ capacity: 12, actor: outreachWorker }).success).toBe(true);
      expect(facilityMessages.SetCapacitySchema.safeParse({ capacity: -1, actor: outreachWorker }).success).toBe(false);
      expect(machines.PolicySchema.safeParse({ calendar: { extraClosedDays: ['12-24'] } }).success).toBe(true);
      expect(machines.PolicySchema.safeParse({ calendar: { extraClosedDays: ['24-12-2026'] } }).success).toBe(false);
    });
  });
});
