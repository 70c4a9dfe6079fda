import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { expect, inject } from 'vitest';
import { workerDataConverter } from '../../codec/data-converter';
import type { PathwayHandle } from './client';
import { eventually } from './eventually';
import { testKeyring } from './keys';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * One activity type's events in a history: a pathway's record writes are activities too, so a
 * test about deliveries must not count them.
 */
export function activityEvents(events: HistoryEvent[], activityType: string) {
  const ids = new Set(events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activityType).map((e) => String(e.eventId)));
  const ours = (scheduledEventId: unknown) => ids.has(String(scheduledEventId));
  return {
    scheduled: ids.size,
    started: events.filter((e) => ours(e.activityTaskStartedEventAttributes?.scheduledEventId)),
    completed: events.filter((e) => ours(e.activityTaskCompletedEventAttributes?.scheduledEventId)),
  };
}

/** The attempt of the first start of `activityType` (0 if none). */
export const firstAttempt = (events: HistoryEvent[], activityType: string) =>
  activityEvents(events, activityType).started[0]?.activityTaskStartedEventAttributes?.attempt ?? 0;

/** Waits until a workflow has nothing under way (no activity, no workflow task), so its history stops growing. */
export async function settledHistory(h: { describe(): Promise<{ raw: { pendingActivities?: unknown[] | null; pendingWorkflowTask?: unknown } }> }) {
  await eventually(async () => {
    const { raw } = await h.describe();
    expect(raw.pendingActivities ?? []).toHaveLength(0);
    expect(raw.pendingWorkflowTask ?? null).toBeNull();
  });
}

/** The patch ids a history's markers record, in order. */
export const patchesIn = (events: HistoryEvent[]) =>
  events.flatMap((e) => {
    const data = e.markerRecordedEventAttributes?.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString()) as { id: string }).id] : [];
  });

/** Local activities' markers in a pathway's history (a patch's marker is `core_patch`). */
export const localActivities = async (h: PathwayHandle) =>
  ((await h.fetchHistory()).events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;

/** Replays what a pathway did against the suite's bundle: a nondeterminism error fails the test. */
export const replays = async (h: PathwayHandle) =>
  Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: workerDataConverter(testKeyring) }, await h.fetchHistory());
