import { workflowInfo } from '@temporalio/workflow';

/**
 * What the local ways share (a step's record write, workflows/records-lane.ts; an action's
 * notice, workflows/effects.ts): a local activity in the step's own task first, the durable
 * activity if it fails.
 */

/** How long after a local attempt failed the durable way is taken at once, so a store or mail server that is down holds no action up. */
const PAUSE_MS = 60_000;

/**
 * A run's first task: no local activity there. One made the server keep the next refused
 * action's task in history (measured on the dev server, test/integration/visibility.test.ts).
 */
export const inRunsFirstTask = () => workflowInfo().historyLength <= 3;

/** The pause after a failed local attempt, in workflow time, so it replays. */
export function localPause() {
  let againAt = 0;
  return {
    /** A local attempt failed less than a minute ago: take the durable way. */
    on: () => Date.now() < againAt,
    failed: () => void (againAt = Date.now() + PAUSE_MS),
  };
}
