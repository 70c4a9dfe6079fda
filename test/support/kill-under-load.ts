import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client, type Connection } from '@temporalio/client';
import { expect } from 'vitest';
import { auditQuery, pathwayWorkflowId, viewQuery, type PathwayWorkflowView } from '../../workflows/messages';
import { outreachWorker } from './actors';
import { act, type PathwayHandle } from './client';
import { eventually } from './eventually';

/** How long a client waits for one answer before it sends the same request again. */
const ATTEMPT_MS = 8_000;

/** Starts `n` pathways `<prefix>-<i>` on `taskQueue` and waits until each stands at version 1. */
export async function startPathways(client: Client, taskQueue: string, n: number, prefix: string): Promise<PathwayHandle[]> {
  const handles = await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      const pathwayId = `${prefix}-${i}`;
      return (await client.workflow.start('pathwayWorkflow', {
        taskQueue,
        workflowId: pathwayWorkflowId(pathwayId),
        args: [{ start: { pathwayId, citizenRef: `ref-${i}`, team: 'outreach', by: outreachWorker } }],
      })) as PathwayHandle;
    }),
  );
  await eventually(async () => {
    const versions = await Promise.all(handles.map(async (h) => (await h.query(viewQuery, outreachWorker)).version));
    expect(versions).toEqual(handles.map(() => 1));
  }, 60_000);
  return handles;
}

/**
 * One transition per pathway (a note naming its request id), all at once; once `killAfter`
 * answers are in, `kill` runs (it must send its signal synchronously) and `afterKill` after it.
 * A client that hears nothing for a while sends the same request again, as the UI does; a
 * rejection fails at once, since none is expected.
 */
export async function transitionsUnderKill(o: {
  connection: Connection;
  handles: PathwayHandle[];
  killAfter: number;
  kill: () => Promise<void>;
  afterKill?: () => Promise<void>;
}) {
  const requestIds = o.handles.map((_, i) => `kill-${i}-${randomUUID()}`);
  const textOf = (i: number) => `transition ${requestIds[i]}`;
  const answers = new Map<number, PathwayWorkflowView>();
  const attempts = o.handles.map(() => 0);
  const errors = new Map<string, number>();
  let killedAt = 0;
  let killed: Promise<void> | undefined;
  let onKill!: () => void;
  const killSent = new Promise<void>((resolve) => (onKill = resolve));
  const transition = async (i: number) => {
    for (;;) {
      attempts[i]! += 1;
      try {
        const view = await o.connection.withDeadline(Date.now() + ATTEMPT_MS, () =>
          act(o.handles[i]!, outreachWorker, { type: 'note.add', text: textOf(i) }, { version: 1, requestId: requestIds[i] }),
        );
        answers.set(i, view);
        if (answers.size === o.killAfter) {
          killedAt = Date.now();
          killed = o.kill();
          onKill();
        }
        return;
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) throw err;
        const kind = (err as Error).constructor.name;
        errors.set(kind, (errors.get(kind) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const fired = Date.now();
  const running = Promise.all(o.handles.map((_, i) => transition(i)));
  await Promise.race([killSent, running]);
  await killed;
  await o.afterKill?.();
  const resumedAt = Date.now();
  await running;
  return {
    requestIds,
    textOf,
    answers,
    killedAt,
    /** From firing to the kill, from the kill to `afterKill`'s end, and from there to the last answer (ms). */
    timings: { toKill: killedAt - fired, toResume: resumedAt - killedAt, toAllAnswered: Date.now() - resumedAt },
    retries: attempts.reduce((a, b) => a + b, 0) - o.handles.length,
    errors: Object.fromEntries(errors),
  };
}

/**
 * Each transition accepted once in its history, in its pathway exactly once (one version step,
 * one audit entry), and a late duplicate answered, not applied. Returns how many of them were in
 * a history before `killedAt`.
 */
export async function expectEachOnce(handles: PathwayHandle[], run: Awaited<ReturnType<typeof transitionsUnderKill>>): Promise<number> {
  const { requestIds, textOf, answers, killedAt } = run;
  const histories = await Promise.all(handles.map(async (h) => (await h.fetchHistory()).events ?? []));
  const acceptances = histories.map((events, i) =>
    events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId === requestIds[i]),
  );
  const msOf = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(String(t?.seconds ?? 0)) * 1000 + (t?.nanos ?? 0) / 1e6;
  expect(answers.size).toBe(handles.length);
  expect(acceptances.map((a) => a.length)).toEqual(handles.map(() => 1));
  for (const [i, view] of answers) expect(view.version, handles[i]!.workflowId).toBe(2);
  const audits = await Promise.all(handles.map((h) => h.query(auditQuery)));
  const missing = audits.filter((a, i) => !a.some((e) => e.type === 'note.add' && e.details?.text === textOf(i))).length;
  const doubled = audits.filter((a, i) => a.filter((e) => e.type === 'note.add' && e.details?.text === textOf(i)).length > 1).length;
  expect({ missing, doubled }).toEqual({ missing: 0, doubled: 0 });
  for (const [i, audit] of audits.entries()) {
    expect(audit.filter((e) => e.type === 'note.add'), handles[i]!.workflowId).toHaveLength(1);
    expect(audit.map((e) => e.version).filter((v) => v !== undefined)).toEqual([1, 2]);
  }
  const again = await Promise.all(handles.map((h, i) => act(h, outreachWorker, { type: 'note.add', text: textOf(i) }, { version: 1, requestId: requestIds[i] })));
  expect(again.map((v) => v.version)).toEqual(handles.map(() => 2));
  return acceptances.filter((a) => a.some((e) => msOf(e.eventTime) < killedAt)).length;
}
