import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { clientDataConverter, workerDataConverter } from '../../codec/data-converter';
import type { Keyring } from '../../codec/keyring';
import { addPathwaySearchAttributes } from '../../scripts/search-attributes-admin';
import { temporalCliPath, testServerPath } from '../../scripts/temporal-paths';
import { loadMailConfig } from '../../activities/mail';
import type { NoticeInput } from '../../activities/notices';
import type { Records } from '../../records';
import { createActivities, type Activities } from '../../worker/activities';
import { createRecordsAtOnce, type RecordsAtOnce } from '../../worker/records-at-once';
import { createPathwayWorker } from '../../worker/create-worker';
import { pathwaySearchAttributes } from '../../workflows/search-attributes';
import { installTestRuntime, testLogLevel } from './logging';
import { fileRecords, registerTestReferenceData } from './records';
import { testKeyring } from './keys';

/** Options for a TestWorkflowEnvironment whose client encrypts under `keyring` (null: no codec, for old-style histories). */
const encrypted = (keyring: Keyring | null) => (keyring ? { client: { dataConverter: clientDataConverter(keyring) } } : {});

const existing = (path: string | undefined) => (path ? { type: 'existing-path' as const, path } : undefined);

/** The time-skipping test server, from the provisioned binary, with the pathway search attributes. */
export async function timeSkipping(keyring: Keyring | null = testKeyring): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const executable = existing(testServerPath());
  const env = await TestWorkflowEnvironment.createTimeSkipping({ ...(executable ? { server: { executable } } : {}), ...encrypted(keyring) });
  // Unlike the dev server, the test server takes no flag for these: register them through its OperatorService.
  await addPathwaySearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** The Temporal CLI dev server (in-memory here), with the pathway search attributes registered. */
export function devServer(keyring = testKeyring): Promise<TestWorkflowEnvironment> {
  installTestRuntime();
  const executable = existing(temporalCliPath());
  return TestWorkflowEnvironment.createLocal({
    server: {
      ...(executable ? { executable } : {}),
      // The CLI knows no trace level.
      log: { format: 'pretty', level: testLogLevel() === 'TRACE' ? 'debug' : testLogLevel().toLowerCase() },
      searchAttributes: pathwaySearchAttributes.map((k) => ({ name: k.name, type: k.type })),
    },
    ...encrypted(keyring),
  });
}

export const taskQueue = () => `test-${randomUUID()}`;

export interface WorkerOptions {
  /** SMTP_URL, TEAM_DIRECTORY_PATH and friends, as the environment would give them. */
  mail?: Record<string, string>;
  deliver?: (n: NoticeInput) => Promise<void>;
  /** Places of each test facility in the registry (test/support/records.ts); 2 unless given. */
  facilityCapacity?: number;
  /** Bundle the sources instead of using the suite's prebuilt bundle (outside vitest). */
  fromSources?: boolean;
  /** No workflow cache: every task replays from history (and no sticky queue outlives a worker). */
  noCache?: boolean;
  /** The record store its activities write; by default the test file's own (test/support/records.ts). */
  records?: Records;
  /** The Worker Deployment version it is (worker/create-worker.ts); absent: unversioned. */
  deployment?: { name: string; buildId: string };
  /** The keys its payloads are encrypted under (default: the test key; null: none, for old-style histories). */
  keyring?: Keyring | null;
  /** Activities that behave otherwise (a facility that never answers, a store that holds writes back). */
  activities?: (real: Activities) => Partial<Activities>;
  /** A step's write at once that behaves otherwise (one that fails, as a store that is down would). */
  recordsAtOnce?: (real: RecordsAtOnce) => Partial<RecordsAtOnce>;
}

const withOverrides = (real: Activities, change?: (real: Activities) => Partial<Activities>): Activities => ({ ...real, ...change?.(real) });

/** A worker on `queue` with the real activities; e-mail is off unless `mail` configures it. */
export async function worker(env: TestWorkflowEnvironment, queue: string, o: WorkerOptions = {}): Promise<Worker> {
  const records = o.records ?? (await fileRecords());
  if (o.facilityCapacity !== undefined) await registerTestReferenceData(records, { capacity: o.facilityCapacity });
  const recordsAtOnce = createRecordsAtOnce({ client: env.client, records });
  return createPathwayWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: queue,
    ...(o.fromSources ? {} : { workflowBundlePath: inject('workflowBundlePath') }),
    activities: withOverrides(
      createActivities({ client: env.client, taskQueue: queue, mail: loadMailConfig(o.mail ?? {}), records, ...(o.deliver ? { deliver: o.deliver } : {}) }),
      o.activities,
    ),
    recordsAtOnce: { ...recordsAtOnce, ...o.recordsAtOnce?.(recordsAtOnce) },
    dataConverter: o.keyring === null ? {} : workerDataConverter(o.keyring ?? testKeyring),
    ...(o.deployment ? { deployment: o.deployment } : {}),
    ...(o.noCache ? { overrides: { maxCachedWorkflows: 0 } } : {}),
  });
}
