import { openedDetails } from '../support/keys';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_TAIL, defaultPolicy, persist, startPathway as startMachine, type Command, type PathwaySnapshot } from '../../machines';
import { countAuditEntries, getPathwayRecord, openRecords, pageAuditEntries, type AuditEntry, type Records } from '../../records';
import { auditQuery, pathwayWorkflowId, viewQuery, type PathwayWorkflowInput } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import { act, actAcrossRunEnd, startPathway, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { testRecords } from '../support/records';
import { devServer, taskQueue, worker } from '../support/temporal';

/** Issue 10: the audit trail and the pathway's record leave workflow state for the record store. */
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServer();
});
afterAll(async () => {
  await env?.teardown();
});

/** Every entry the store holds for a pathway, oldest first. */
async function storedTrail(records: Records, pathwayId: string) {
  const all: Awaited<ReturnType<typeof openedDetails<AuditEntry>>> = [];
  for (;;) {
    const page = await pageAuditEntries(records.db, pathwayId, { afterSeq: all.at(-1)?.seq ?? 0, limit: 1000 });
    all.push(...(await openedDetails(page)));
    if (page.length < 1000) return all;
  }
}

const latest = (h: PathwayHandle) => env.client.workflow.getHandle(h.workflowId) as PathwayHandle;

/** Every run of a workflow, oldest first: its history's size and the size of the input it started with. */
async function runsOf(workflowId: string) {
  const runs: { runId: string; bytes: number; events: number; inputBytes: number }[] = [];
  for await (const wf of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await env.client.workflow.getHandle(workflowId, wf.runId).fetchHistory();
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
    runs.push({
      runId: wf.runId,
      bytes: temporal.api.history.v1.History.encode(history).finish().length,
      events: history.events!.length,
      inputBytes: temporal.api.common.v1.Payloads.encode(started.input!).finish().length,
    });
  }
  return runs;
}

describe('the audit trail in the record store', () => {
  it('1,800 notes of 4,000 characters leave the pathway running, accepting the next action, with every note readable', async () => {
    const records = await testRecords();
    const queue = taskQueue();
    const w = await worker(env, queue, { records });
    const NOTES = 1_800;
    const text = (i: number) => `${String(i).padStart(4, '0')} ${'x'.repeat(3_995)}`;
    await w.runUntil(async () => {
      const h = await startPathway(env, queue);
      const pathwayId = h.workflowId.slice('pathway-'.length);
      const began = Date.now();
      let version = 1;
      let retried = 0;
      const seen = new Set<string>();
      const send = (command: Command) =>
        actAcrossRunEnd(latest(h), outreachWorker, command, { version, onAgain: (err) => (retried++, seen.add(err.message)) });
      for (let i = 1; i <= NOTES; i++) version = (await send({ type: 'note.add', text: text(i) })).version;
      const took = Date.now() - began;
      // Still running and taking actions (the last note may have filled the run: this one may meet its end).
      const next = await send({ type: 'contact.log', outcome: 'reached' });
      expect(next.version).toBe(NOTES + 2);
      expect((await latest(h).describe()).status.name).toBe('RUNNING');
      // The run holds a bounded tail; the store holds everything, each entry once.
      await eventually(async () => expect(await countAuditEntries(records.db, pathwayId)).toBe(NOTES + 2), 60_000);
      const trail = await storedTrail(records, pathwayId);
      expect(trail.map((e) => e.seq)).toEqual(Array.from({ length: NOTES + 2 }, (_, i) => i + 1));
      const notes = trail.filter((e) => e.type === 'note.add').map((e) => e.details?.text);
      expect(notes).toEqual(Array.from({ length: NOTES }, (_, i) => text(i + 1)));
      expect((await latest(h).query(auditQuery)).length).toBeLessThanOrEqual(AUDIT_TAIL);

      const runs = await runsOf(h.workflowId);
      const total = runs.reduce((a, r) => a + r.bytes, 0);
      const biggestInput = Math.max(...runs.map((r) => r.inputBytes));
      console.log(
        `records: ${NOTES} notes of 4,000 characters in ${(took / 1000).toFixed(1)} s (${retried} sent again: ${[...seen].join('; ')}); ${runs.length} runs, ` +
          `history ${(total / 1e6).toFixed(2)} MB and ${runs.reduce((a, r) => a + r.events, 0)} events in all, ` +
          `largest run ${(Math.max(...runs.map((r) => r.bytes)) / 1e6).toFixed(2)} MB, largest continue-as-new input ${(biggestInput / 1e3).toFixed(1)} kB`,
      );
      // Far under Temporal's 2 MB payload limit, whatever the history.
      expect(biggestInput).toBeLessThan(256 * 1024);
    });
  }, 240_000);

  it('writes the whole trail of a pathway started on older code the first time the patch holds', async () => {
    const records = await testRecords();
    const queue = taskQueue();
    // A pathway as older code carried it across continue-as-new: the whole trail in its context, no count.
    const s: PathwaySnapshot = startMachine({ pathwayId: 'older-run', citizenRef: 'ref-older', team: 'outreach', policy: defaultPolicy, at: Date.now() - 60_000, by: outreachWorker }).snapshot;
    const legacy = persist(s);
    for (let i = 1; i <= 40; i++) {
      legacy.context = {
        ...legacy.context,
        version: legacy.context.version + 1,
        audit: [...legacy.context.audit, { seq: i + 1, at: legacy.context.now, by: { id: outreachWorker.id, role: 'coordinator' }, type: 'note.add', details: { text: `old note ${i}` }, version: i + 1 }],
      };
    }
    delete legacy.context.auditCount;
    const input: PathwayWorkflowInput = { carried: { pathway: legacy, applied: [], outbox: [] } };
    const w = await worker(env, queue, { records });
    await w.runUntil(async () => {
      const h = (await env.client.workflow.start('pathwayWorkflow', { taskQueue: queue, workflowId: pathwayWorkflowId('older-run'), args: [input] })) as PathwayHandle;
      await eventually(async () => expect(await countAuditEntries(records.db, 'older-run')).toBe(41), 30_000);
      const view = await act(h, outreachWorker, { type: 'note.add', text: 'new note' }, { version: 41 });
      expect(view.version).toBe(42);
      await eventually(async () => expect((await storedTrail(records, 'older-run')).map((e) => e.seq)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1)), 30_000);
      expect(await getPathwayRecord(records.db, 'older-run')).toMatchObject({ closedAt: null, history: { stages: [{ stage: 'outreach', leftAt: null }] } });
    });
  }, 120_000);

  it('keeps entries while the store is down, flags records-failing without holding up actions, and writes them all when it is back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'records-down-'));
    const first = await openRecords({ dataDir });
    // The activities see this store; the test swaps what is behind it.
    const store: Records = { ...first };
    const queue = taskQueue();
    const w = await worker(env, queue, { records: store });
    await w.runUntil(async () => {
      const h = await startPathway(env, queue, { pathwayId: 'store-down' });
      await eventually(async () => expect(await countAuditEntries(first.db, 'store-down')).toBe(1), 30_000);
      await first.close();
      let version = 1;
      for (let i = 1; i <= 30; i++) version = (await act(h, outreachWorker, { type: 'note.add', text: `while down ${i}` }, { version })).version;
      expect(version).toBe(31);
      await eventually(async () => expect((await h.query(viewQuery, outreachWorker)).flags).toContain('records-failing'), 60_000);
      // Nothing is lost meanwhile: the workflow shows every entry not yet written, beyond its tail.
      expect((await h.query(auditQuery)).map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
      const back = await openRecords({ dataDir });
      store.db = back.db;
      await eventually(async () => expect(await countAuditEntries(back.db, 'store-down')).toBe(31), 150_000);
      await eventually(async () => expect((await h.query(viewQuery, outreachWorker)).flags).not.toContain('records-failing'), 30_000);
      expect((await storedTrail(back, 'store-down')).map((e) => e.details?.text ?? e.type)).toEqual(['pathway.start', ...Array.from({ length: 30 }, (_, i) => `while down ${i + 1}`)]);
      await back.close();
    });
  }, 240_000);
});
