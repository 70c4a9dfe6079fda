import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { clientDataConverter } from '../../codec/data-converter';
import { keyringFromEnv } from '../../codec/keyring';
import { pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import { act, type PathwayHandle } from '../support/client';
import { freePort } from '../support/net';

const parent = mkdtempSync(join(tmpdir(), 'pathways-start-'));
/** Not there before the first start, which must create it private. */
const dataDir = join(parent, 'data');
afterAll(() => rmSync(parent, { recursive: true, force: true }));
const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** Runs `npm start`'s script and resolves once it prints that it is ready. */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready. Press Ctrl-C to stop.')) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`start exited with ${code}:\n${output}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });

describe('npm start', () => {
  it('runs the dev server and worker, keeps pathways in data/ across a restart, and stops cleanly', async () => {
    const port = await freePort();
    const env = {
      TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
      TEMPORAL_UI_PORT: String(await freePort()),
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      ACCOUNTS_PATH: join(parent, 'accounts.json'),
      WORKFLOW_BUNDLE_PATH: inject('workflowBundlePath'),
    };
    const first = await start(env);
    expect(first.output()).toContain(`state in ${dataDir}/temporal.db`);
    // data/ and everything in it are the owner's alone, the generated payload key included.
    expect(mode(dataDir)).toBe('700');
    for (const file of ['payload-keys.json', 'temporal.db']) expect([file, mode(join(dataDir, file))]).toEqual([file, '600']);
    const dataConverter = clientDataConverter(keyringFromEnv({ DATA_DIR: dataDir }));

    let connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    let client = new Client({ connection, dataConverter });
    // Closed runs are kept as TEMPORAL_RETENTION_DAYS says (30 by default), not the dev server's one day.
    expect(first.output()).toContain('closed runs kept 30 days');
    const ns = await connection.workflowService.describeNamespace({ namespace: 'default' });
    expect(Number(ns.config?.workflowExecutionRetentionTtl?.seconds)).toBe(30 * 86_400);
    const handle = (await client.workflow.start('pathwayWorkflow', {
      taskQueue: 'care-pathways',
      workflowId: pathwayWorkflowId('start-test'),
      args: [{ start: { pathwayId: 'start-test', citizenRef: 'ref-start', team: 'outreach', by: outreachWorker } }],
    })) as PathwayHandle;
    await act(handle, outreachWorker, { type: 'consent.record', given: true });
    expect(mode(join(dataDir, 'temporal.db-wal'))).toBe('600');
    // The probes answer as an orchestrator would ask them: alive, and ready with its worker polling.
    expect(await (await fetch(`http://127.0.0.1:${env.PORT}/healthz`)).json()).toEqual({ status: 'alive' });
    const ready = await fetch(`http://127.0.0.1:${env.PORT}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready', checks: { temporal: 'ok', database: 'ok', worker: 'ok' } }]);
    await connection.close();
    expect(await stop(first.child)).toBe(0);
    expect(first.output()).toContain('stopped.');

    const second = await start(env);
    connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    client = new Client({ connection, dataConverter });
    const again = client.workflow.getHandle(pathwayWorkflowId('start-test')) as PathwayHandle;
    const view = await again.query(viewQuery, outreachWorker);
    expect(view.stage === 'outreach' && view.consent?.given).toBe(true);
    await connection.close();
    expect(await stop(second.child)).toBe(0);
  }, 180_000);

  it('refuses a bad configuration with a clear message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      env: { ...process.env, TEMPORAL_ADDRESS: 'not an address' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toContain('TEMPORAL_ADDRESS: expected host:port');
  });
});
