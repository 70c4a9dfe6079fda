import { createEmptyActor, initialTransition, type AnyActorScope, type ExecutableActionObject, type StateValue } from 'xstate';
import type { PathwayContext } from './context';
import { SYSTEM, type PathwayEvent } from './events';
import { pathwayMachine, type Effect, type PathwayInput, type PathwaySnapshot } from './pathway-machine';

/**
 * The machine as pure functions: a snapshot and an event in, the next snapshot and the
 * effects to carry out. The workflow uses these instead of a live actor, so there is no
 * subscription to lose an error through and nothing in flight to restore.
 */

export interface Stepped {
  snapshot: PathwaySnapshot;
  effects: Effect[];
}

function effectsOf(actions: readonly { type: string; params?: unknown }[]): Effect[] {
  return actions.flatMap((a) => (a.type === 'xstate.emit' ? [(a.params as { event: Effect }).event] : []));
}

export function startPathway(input: PathwayInput): Stepped {
  const [snapshot, actions] = initialTransition(pathwayMachine, input);
  return { snapshot, effects: effectsOf(actions) };
}

/**
 * What xstate's `transition()` does, without the actor it builds for every call: that actor's
 * constructor computes the machine's initial snapshot, which was half the cost of a step, paid
 * again by every replayed action. The scope only collects the actions, as `transition()`'s
 * does; the pathway's actions use neither `self` nor `system` (test/machines/step.test.ts
 * checks the two agree on every event).
 */
export function step(snapshot: PathwaySnapshot, event: PathwayEvent): Stepped {
  const actions: ExecutableActionObject[] = [];
  const self = createEmptyActor();
  const scope: AnyActorScope = {
    self,
    id: '',
    sessionId: '',
    system: self.system,
    logger: () => {},
    defer: () => {},
    emit: () => {},
    stopChild: () => {},
    actionExecutor: (action) => void actions.push(action),
  };
  return { snapshot: pathwayMachine.transition(snapshot, event, scope), effects: effectsOf(actions) };
}

/**
 * The pathway as it will be once time has passed to `at`: the same tick the workflow applies when
 * it next runs, on a copy. Used to judge and to show a pathway at the moment of reading.
 */
export function asOf(snapshot: PathwaySnapshot, at: number): PathwaySnapshot {
  return at > snapshot.context.now ? step(snapshot, { type: 'clock.tick', by: SYSTEM, at }).snapshot : snapshot;
}

/** The JSON form a pathway travels in: across continue-as-new, in saved histories, in tests. */
export interface PersistedPathway {
  value: StateValue;
  context: PathwayContext;
}

export function persist(snapshot: PathwaySnapshot): PersistedPathway {
  return { value: snapshot.value, context: snapshot.context };
}

export function restore(persisted: PersistedPathway): PathwaySnapshot {
  return pathwayMachine.resolveState(JSON.parse(JSON.stringify(persisted)) as PersistedPathway);
}
