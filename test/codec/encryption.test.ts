import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, WorkflowFailedError } from '@temporalio/client';
import proto from '@temporalio/proto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { settledHistory } from '../support/history';
import { loadMailConfig } from '../../activities/mail';
import { AesGcmCodec, KEY_ID } from '../../codec/aes-codec';
import { clientDataConverter, workerDataConverter } from '../../codec/data-converter';
import { keyringFrom, type Keyring } from '../../codec/keyring';
import { temporalCliPath } from '../../scripts/temporal-paths';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { createActivities } from '../../worker/activities';
import { createRecordsAtOnce } from '../../worker/records-at-once';
import { createPathwayWorker } from '../../worker/create-worker';
import { boardQuery, facilityWorkflowId, requestPlaceSignal } from '../../workflows/facility-messages';
import { actUpdate, auditQuery, pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import { act, type PathwayHandle } from '../support/client';
import { devCluster } from '../support/dev-cluster';
import { eventually } from '../support/eventually';
import { testKeyring } from '../support/keys';
import { installTestRuntime } from '../support/logging';
import { smtpServer, teamDirectory } from '../support/smtp';
import { fileRecords, registerTestReferenceData } from '../support/records';
import { countAuditEntries, openRecords, type Records } from '../../records';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(join(dir, d.name)) : d.isFile() ? [join(dir, d.name)] : []));

/**
 * Payload encryption on a real, file-backed dev server: what lands on disk and in the CLI, what a
 * client without the key can do through port 7233, and key rotation in the middle of a pathway.
 */
let cluster: Awaited<ReturnType<typeof devCluster>>;
let native: NativeConnection;
/** A client that reaches port 7233 without the key. */
let intruder: Client;

/** Everything the worker's runtime logs, workflows' own lines included: the canary searches it. */
const workerLog: string[] = [];

beforeAll(async () => {
  installTestRuntime({ captureFrom: 'INFO', capture: (entry) => void workerLog.push(JSON.stringify(entry, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))) });
  cluster = await devCluster('encryption');
  native = await NativeConnection.connect({ address: cluster.address });
  intruder = new Client({ connection: cluster.connection });
});
afterAll(async () => {
  await native?.close();
  await cluster?.close();
});

/** A pathway worker on its own queue, encrypting under `keyring`, running until `f` is done. */
async function withWorker<T>(queue: string, keyring: Keyring, f: (client: Client) => Promise<T>, records?: Records, mail = loadMailConfig({})): Promise<T> {
  const client = new Client({ connection: cluster.connection, dataConverter: clientDataConverter(keyring) });
  const store = records ?? (await fileRecords());
  const worker: Worker = await createPathwayWorker({
    connection: native,
    namespace: 'default',
    taskQueue: queue,
    workflowBundlePath: inject('workflowBundlePath'),
    activities: createActivities({ client, taskQueue: queue, mail, records: store }),
    recordsAtOnce: createRecordsAtOnce({ client, records: store }),
    dataConverter: workerDataConverter(keyring),
  });
  return worker.runUntil(() => f(client));
}

const start = (client: Client, queue: string, pathwayId: string, citizenRef = `ref-${pathwayId}`) =>
  client.workflow.start('pathwayWorkflow', {
    taskQueue: queue,
    workflowId: pathwayWorkflowId(pathwayId),
    args: [{ start: { pathwayId, citizenRef, team: 'outreach', by: outreachWorker } }],
  }) as Promise<PathwayHandle>;

const eventTypes = async (h: { fetchHistory: PathwayHandle['fetchHistory'] }) => ((await h.fetchHistory()).events ?? []).map((e) => proto.temporal.api.enums.v1.EventType[e.eventType ?? 0]);

describe('payloads at rest', () => {
  it('leave no name, CPR number, citizen reference or note in plain text in Temporal’s database, the record store, `temporal workflow show`, the logs or the e-mails, while staff see them', async () => {
    const word = `KANARIEFUGL${randomUUID().slice(0, 6)}`;
    const ref = `CANARYREF${randomUUID().slice(0, 6)}`;
    const citizenName = `Kanariefugl Navnesen ${randomUUID().slice(0, 6)}`;
    // A CPR number that exists nowhere else in the test: a random day in January 1970 and a random serial.
    const cpr = `${String(1 + Math.floor(Math.random() * 28)).padStart(2, '0')}0170-${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
    const queue = `enc-${randomUUID()}`;
    const apiLog: string[] = [];
    let pathwayId = '';
    // A record store of its own, to search its files afterwards.
    const recordsDir = mkdtempSync(join(tmpdir(), 'canary-records-'));
    const smtp = await smtpServer();
    const mail = loadMailConfig({ SMTP_URL: smtp.url, TEAM_DIRECTORY_PATH: teamDirectory() });
    const records = await registerTestReferenceData(await openRecords({ dataDir: recordsDir }));
    await withWorker(queue, testKeyring, async (client) => {
      const app = await buildApp({
        records,
        client,
        taskQueue: queue,
        accounts: [{ id: 'ow1', name: 'Staff', role: 'coordinator', teams: ['outreach'], passwordHash: await hashPassword('pw-ow1') }],
        sessionSecret: 'test-secret-test-secret-test-secret',
        cprHashKey: Buffer.alloc(32, 7),
        logger: { stream: { write: (line) => void apiLog.push(line) } },
      });
      try {
        const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { id: 'ow1', password: 'pw-ow1' } });
        const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
        const started = await app.inject({ method: 'POST', url: '/api/pathways', headers: { cookie }, payload: { citizenRef: ref, citizenName, cpr } });
        expect(started.statusCode).toBe(201);
        pathwayId = started.json().pathwayId;
        const h = client.workflow.getHandle(pathwayWorkflowId(pathwayId)) as PathwayHandle;
        await act(h, outreachWorker, { type: 'note.add', text: `met at the harbour, ${word}` });
        await act(h, outreachWorker, { type: 'consent.record', given: true });
        // A referral mails the receiving team at once: the e-mail is searched too.
        await act(h, outreachWorker, { type: 'referral.request', note: `see the harbour note, ${word}` });
        await eventually(async () => expect(smtp.received.length).toBeGreaterThan(0));

        // Signed-in staff still see all three, through the API: the case, and the name in the list (from the memo).
        const res = await app.inject({ method: 'GET', url: `/api/pathways/${pathwayId}`, headers: { cookie } });
        expect(res.statusCode).toBe(200);
        for (const marker of [ref, word, citizenName]) expect(res.body).toContain(marker);
        await eventually(async () => {
          const list = (await app.inject({ method: 'GET', url: '/api/pathways', headers: { cookie } })).json() as { pathwayId: string; citizenName: string | null }[];
          expect(list.find((r) => r.pathwayId === pathwayId)?.citizenName).toBe(citizenName);
        });
        // And find it by the CPR number, which nothing keeps.
        await eventually(async () => {
          const found = (await app.inject({ method: 'POST', url: '/api/pathways/search', headers: { cookie }, payload: { cpr } })).json() as { pathwayId: string }[];
          expect(found.map((r) => r.pathwayId)).toEqual([pathwayId]);
        });
        // The record store holds the trail (the run's end is not needed: each step writes its own).
        await eventually(async () => expect(await countAuditEntries(records.db, pathwayId)).toBe(4));
      } finally {
        await app.close();
      }
    }, records, mail);
    await records.close();
    await smtp.close();
    const stored = Buffer.concat(filesUnder(recordsDir).map((f) => readFileSync(f)));
    expect(stored.includes(pathwayId), 'the scan reads the files the record store keeps the pathway in').toBe(true);

    const files = [cluster.dbFile, `${cluster.dbFile}-wal`].filter((f) => existsSync(f));
    const disk = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(disk.includes(pathwayWorkflowId(pathwayId)), 'the scan reads the files the pathway is in').toBe(true);
    const shown = execFileSync(temporalCliPath()!, ['workflow', 'show', '--address', cluster.address, '-w', pathwayWorkflowId(pathwayId), '-o', 'json']).toString();
    const described = execFileSync(temporalCliPath()!, ['workflow', 'describe', '--address', cluster.address, '-w', pathwayWorkflowId(pathwayId), '-o', 'json']).toString();
    expect(apiLog.length, 'the API logged its requests').toBeGreaterThan(0);
    expect(workerLog.length, 'the worker logged').toBeGreaterThan(0);
    expect(smtp.received.map((m) => m.raw).join('\n'), 'the referral was mailed, naming the pathway').toContain(pathwayId);
    const hits = (where: string, haystack: { includes(s: string): boolean }) => [word, ref, citizenName, cpr, cpr.replace('-', '')].filter((m) => haystack.includes(m)).map((m) => `${m} in ${where}`);
    expect([
      ...hits(files.join(' + '), disk),
      ...hits('the record store’s files', stored),
      ...hits('temporal workflow show', shown),
      ...hits('temporal workflow describe (memo, search attributes)', described),
      ...hits('the API log', apiLog.join('\n')),
      ...hits('the worker log', workerLog.join('\n')),
      ...hits('the e-mails', smtp.received.map((m) => m.raw).join('\n')),
    ]).toEqual([]);
    expect(shown).toContain(KEY_ID);
  });
});

describe('a client without the key, on port 7233', () => {
  it('cannot act: an Update with the actor forged as a supervisor is rejected and adds no history event', async () => {
    const queue = `enc-${randomUUID()}`;
    const pathwayId = `forged-${randomUUID().slice(0, 8)}`;
    await withWorker(queue, testKeyring, async (client) => {
      const h = await start(client, queue, pathwayId);
      const { version } = await act(h, outreachWorker, { type: 'consent.record', given: true });
      await settledHistory(h); // its record write done
      const before = (await h.describe()).historyLength;
      const erik = { id: 'erik', role: 'supervisor' as const, teams: ['outreach'] };
      const requestId = randomUUID();
      const forged = intruder.workflow
        .getHandle(pathwayWorkflowId(pathwayId))
        .executeUpdate(actUpdate, { args: [{ requestId, expectedVersion: version, actor: erik, command: { type: 'note.add', text: 'forged' } }], updateId: requestId });
      await expect(forged).rejects.toThrow();
      expect((await h.describe()).historyLength - before).toBe(0);
      expect((await h.query(auditQuery)).some((e) => e.by.id === 'erik')).toBe(false);
      // Still working for those who hold the key.
      expect((await act(h, outreachWorker, { type: 'note.add', text: 'still here' })).version).toBe(version + 1);
    });
  });

  it('cannot start a pathway: the workflow fails at once instead of retrying its first task', async () => {
    const queue = `enc-${randomUUID()}`;
    const pathwayId = `forged-start-${randomUUID().slice(0, 8)}`;
    await withWorker(queue, testKeyring, async (client) => {
      const h = await start(intruder, queue, pathwayId);
      // The failure's message is encrypted too: only a client with the key reads it.
      await expect(h.result()).rejects.toThrow('Unknown encoding: binary/encrypted');
      const failure = await client.workflow.getHandle(h.workflowId).result().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect(String((failure as WorkflowFailedError).cause?.message)).toContain('payload refused (unencrypted)');
      const types = await eventTypes(h);
      expect(types).toContain('EVENT_TYPE_WORKFLOW_EXECUTION_FAILED');
      expect(types).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
    });
  });

  it('cannot queue a forged request at a facility: the signal is dropped and the facility keeps working', async () => {
    const queue = `enc-${randomUUID()}`;
    const facilityId = `enc-${randomUUID().slice(0, 8)}`;
    await withWorker(queue, testKeyring, async (client) => {
      const facility = await client.workflow.start('facilityWorkflow', { taskQueue: queue, workflowId: facilityWorkflowId(facilityId), args: [{ facilityId, capacity: 0 }] });
      await facility.query(boardQuery);
      await intruder.workflow.getHandle(facility.workflowId).signal(requestPlaceSignal, { pathwayId: 'forged', team: 'outreach', priority: 'urgent' } as never);
      await client.workflow.getHandle(facility.workflowId).signal(requestPlaceSignal, { pathwayId: 'genuine', team: 'outreach', priority: 'normal' } as never);
      const board = await eventually(async () => {
        const b = await facility.query(boardQuery);
        expect(JSON.stringify(b)).toContain('genuine');
        return b;
      });
      expect(JSON.stringify(board)).not.toContain('forged');
      expect(await eventTypes(facility)).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');
    });
  });
});

describe('key rotation', () => {
  it('in the middle of a pathway changes nothing for it: old payloads decode under their key, new ones use the new key', async () => {
    const queue = `enc-${randomUUID()}`;
    const pathwayId = `rotated-${randomUUID().slice(0, 8)}`;
    const first = testKeyring.keys.get(testKeyring.active)!.toString('base64');
    const rotated = keyringFrom({ [testKeyring.active]: first, 'test-2': Buffer.alloc(32, 7).toString('base64') }, 'test-2', 'test');

    const seen = await withWorker(queue, testKeyring, async (client) => {
      const h = await start(client, queue, pathwayId);
      return (await act(h, outreachWorker, { type: 'note.add', text: 'before rotation' })).version;
    });
    // A new worker and client with the new active key: the pathway replays from history and goes on.
    await withWorker(queue, rotated, async (client) => {
      const h = client.workflow.getHandle(pathwayWorkflowId(pathwayId)) as PathwayHandle;
      const after = await act(h, outreachWorker, { type: 'consent.record', given: true });
      expect(after.version).toBe(seen + 1);
      expect((await h.query(viewQuery, outreachWorker)).stage).toBe('outreach');
      expect((await h.query(auditQuery)).map((e) => e.type)).toEqual(expect.arrayContaining(['note.add', 'consent.record']));

      const history = await h.fetchHistory();
      const keyIds = new Set<string>();
      const walk = (v: unknown): void => {
        if (v instanceof Uint8Array || typeof v !== 'object' || v === null) return;
        const id = (v as { metadata?: Record<string, Uint8Array> }).metadata?.[KEY_ID];
        if (id) keyIds.add(Buffer.from(id).toString());
        Object.values(v).forEach(walk);
      };
      walk(history.events);
      expect([...keyIds].sort()).toEqual([testKeyring.active, 'test-2']);
      expect(await eventTypes(h)).not.toContain('EVENT_TYPE_WORKFLOW_TASK_FAILED');

      // Without the old key, a client cannot read the old payloads, and says which key it lacks.
      const input = history.events!.find((e) => e.workflowExecutionStartedEventAttributes)!.workflowExecutionStartedEventAttributes!.input!.payloads!;
      const onlyNew = keyringFrom({ 'test-2': Buffer.alloc(32, 7).toString('base64') }, undefined, 'test');
      await expect(new AesGcmCodec(onlyNew, 'throw').decode(input)).rejects.toThrow(`key "${testKeyring.active}", which is not in the keyring`);
    });
  });
});
