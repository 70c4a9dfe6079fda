import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadMailConfig } from '../../activities/mail';
import { clientDataConverter, workerDataConverter } from '../../codec/data-converter';
import { startDevServer } from '../../scripts/dev-server';
import { createActivities } from '../../worker/activities';
import { createRecordsAtOnce } from '../../worker/records-at-once';
import { fileRecords } from '../support/records';
import { createPathwayWorker } from '../../worker/create-worker';
import { pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import { act, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { installTestRuntime } from '../support/logging';
import { testKeyring } from '../support/keys';
import { freePort } from '../support/net';

const dir = mkdtempSync(join(tmpdir(), 'pathways-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a dev server restart mid-run', () => {
  it('loses no pathway, fails none, and their timers still fire', async () => {
    installTestRuntime();
    // Both ports free when asked: a UI port derived from the other could be another server's (the suite runs files side by side).
    const [port, uiPort] = [await freePort(), await freePort()];
    const server = () => startDevServer({ port, uiPort, dbFile: join(dir, 'temporal.db'), namespace: 'default', quiet: true });
    let dev = await server();
    const address = `127.0.0.1:${port}`;
    const native = await NativeConnection.connect({ address });
    const connection = await Connection.connect({ address });
    const client = new Client({ connection, dataConverter: clientDataConverter(testKeyring) });
    const queue = 'restart-test';
    const records = await fileRecords();
    const worker: Worker = await createPathwayWorker({
      connection: native,
      namespace: 'default',
      taskQueue: queue,
      workflowBundlePath: inject('workflowBundlePath'),
      activities: createActivities({ client, taskQueue: queue, mail: loadMailConfig({}), records }),
      recordsAtOnce: createRecordsAtOnce({ client, records }),
      dataConverter: workerDataConverter(testKeyring),
    });
    const running = worker.run();
    try {
      // Twenty pathways whose no-contact rule fires 20 s after their last contact.
      const policy = { outreach: { noContactDays: 20 / 86_400 } };
      const handles: PathwayHandle[] = [];
      for (let i = 0; i < 20; i++) {
        const pathwayId = `restart-${i}`;
        handles.push(
          (await client.workflow.start('pathwayWorkflow', {
            taskQueue: queue,
            workflowId: pathwayWorkflowId(pathwayId),
            args: [{ start: { pathwayId, citizenRef: `ref-${i}`, team: 'outreach', by: outreachWorker, policy } }],
          })) as PathwayHandle,
        );
      }
      for (const h of handles.slice(0, 10)) await act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' });

      await dev.stop();
      dev = await server(); // same file, same port
      // Half move again at once; the other half are left alone, so only their timers can flag them.
      for (const h of handles.slice(10)) await act(h, outreachWorker, { type: 'note.add', text: 'after the restart' });

      for (const h of handles) {
        const d = await h.describe();
        expect(d.status.name, h.workflowId).toBe('RUNNING');
      }
      // The timers armed before the restart still fire: every pathway is flagged in time.
      await eventually(async () => {
        for (const h of handles) expect((await h.query(viewQuery, outreachWorker)).flags, h.workflowId).toContain('no-contact');
      }, 45_000);
      // Nothing lost, nothing doubled: one contact or one note each on top of the start.
      const versions = await Promise.all(handles.map(async (h) => (await h.query(viewQuery, outreachWorker)).version));
      expect(versions).toEqual(handles.map(() => 2));
    } finally {
      worker.shutdown();
      await running;
      await connection.close();
      await native.close();
      await dev.stop();
    }
  }, 120_000);
});
