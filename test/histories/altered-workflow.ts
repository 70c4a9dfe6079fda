// A deliberately incompatible change: the pathway now waits a minute before starting.
// Replaying a recorded history against it must fail with a determinism error.
import { sleep } from '@temporalio/workflow';
import type { PathwayWorkflowInput } from '../../workflows/messages';
import { pathwayWorkflow as current } from '../../workflows/pathway';

export async function pathwayWorkflow(input: PathwayWorkflowInput) {
  await sleep('1 minute');
  return current(input);
}
