import { upsertSearchAttributes } from '@temporalio/workflow';
import type { SearchAttributeUpdatePair } from '@temporalio/common';
import { activePeers, flags, nextDeadline, whereOf, type PathwaySnapshot } from '../machines';
import type { WorkflowFlag } from './messages';
import type { Patched } from './patches';
import * as SA from './search-attributes';

/** Runs recorded since the receiving team is published (`PathwayHandoffTo`, for its inbox). */
const HANDOFF_VISIBILITY = 'handoff-visibility';
/** Runs recorded since the next deadline's kind is published (`PathwayNextDeadlineKind`). */
const DEADLINE_KIND_VISIBILITY = 'deadline-kind-visibility';
/** Runs recorded since peer workers' access is published (`PathwayPeers`, their caseload). */
const PEER_VISIBILITY = 'peer-visibility';

/**
 * Keeps the pathway's search attributes current, for supervisors' lists and the Temporal CLI.
 * Each call upserts only when something changed, so an unchanged pathway costs no history event.
 * Made at the start of each run: a run recorded before an attribute existed never upserts it.
 */
export function visibilityPublisher(patched: Patched) {
  let published = '';
  const handoffTo = patched(HANDOFF_VISIBILITY);
  const deadlineKind = patched(DEADLINE_KIND_VISIBILITY);
  const peers = patched(PEER_VISIBILITY);
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
      ...(handoffTo
        ? [
            { key: SA.PathwayHandoffTo, value: c.handoff?.toTeam ?? null },
            { key: SA.PathwayHandoffAt, value: c.handoff ? new Date(c.handoff.requestedAt) : null },
          ]
        : []),
      ...(deadlineKind ? [{ key: SA.PathwayNextDeadlineKind, value: next?.kind ?? null }] : []),
      ...(peers ? [{ key: SA.PathwayPeers, value: activePeers(c) }] : []),
    ];
    const fingerprint = JSON.stringify(pairs.map((p) => p.value));
    if (fingerprint === published) return;
    published = fingerprint;
    upsertSearchAttributes(pairs);
  };
}
