import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';
import { openRecords } from '../records';
import { temporalCliPath, testServerPath } from '../scripts/temporal-paths';
import { workflowBundleOptions } from '../worker/create-worker';

declare module 'vitest' {
  export interface ProvidedContext {
    workflowBundlePath: string;
    webRoot: string;
    recordsTemplate: string;
  }
}

/**
 * Runs once before all test files: checks the Temporal binaries are there (a missing server
 * must fail the suite, not skip it), bundles the workflow code once for every worker, and
 * builds the web UI, and makes an empty record store to copy.
 */
export default async function setup(project: TestProject) {
  for (const [what, path] of [
    ['Temporal CLI', temporalCliPath()],
    ['time-skipping test server', testServerPath()],
  ] as const) {
    if (!path) throw new Error(`no ${what} found: run \`npm run provision\` (or set its path in the environment)`);
  }
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions, logger: quietLogger });
  mkdirSync('.cache', { recursive: true });
  const path = `${process.cwd()}/.cache/workflow-bundle.js`;
  writeFileSync(path, code);
  project.provide('workflowBundlePath', path);
  // The web UI, built as `npm start` serves it.
  await build({ configFile: 'ui/web/vite.config.ts', logLevel: 'warn' });
  project.provide('webRoot', `${process.cwd()}/ui/web/dist`);
  // An empty, migrated record store that test files copy instead of creating their own (seconds each).
  const template = `${process.cwd()}/.cache/records-template`;
  rmSync(template, { recursive: true, force: true });
  await (await openRecords({ dataDir: template })).close();
  project.provide('recordsTemplate', template);
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
