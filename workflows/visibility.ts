import { upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { flags, nextDeadline, whereOf, type PathwaySnapshot } from '../machines';
import type { WorkflowFlag } from './messages';
import * as SA from './search-attributes';

/**
 * Keeps the pathway's search attributes current, for supervisors' lists and the Temporal CLI.
 * Each call upserts only when something changed, so an unchanged pathway costs no history event.
 */
export function visibilityPublisher() {
  let published = '';
  return (snapshot: PathwaySnapshot, workflowFlags: readonly WorkflowFlag[]) => {
    const c = snapshot.context;
    const stage = whereOf(snapshot.value).stage;
    const next = nextDeadline(stage, c);
    const pairs: SearchAttributeUpdatePair[] = [
      { key: SA.PathwayStage, value: stage },
      { key: SA.PathwayStageEnteredAt, value: new Date(c.stageEnteredAt) },
      { key: SA.PathwayTeam, value: c.responsibleTeam },
      { key: SA.PathwayCoordinator, value: c.coordinator },
      { key: SA.PathwayNextDeadline, value: next ? new Date(next.at) : null },
      { key: SA.PathwayFlags, value: [...flags(stage, c), ...workflowFlags] },
      { key: SA.PathwayFacility, value: stage === 'waiting' || stage === 'stay' ? c.facilityId : null },
    ];
    const fingerprint = JSON.stringify(pairs.map((p) => p.value));
    if (fingerprint === published) return;
    published = fingerprint;
    upsertSearchAttributes(pairs);
  };
}
