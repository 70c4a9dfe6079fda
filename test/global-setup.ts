import { mkdirSync, writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { temporalCliPath, testServerPath } from '../scripts/temporal-paths';
import { workflowsPath } from '../worker/create-worker';

declare module 'vitest' {
  export interface ProvidedContext {
    workflowBundlePath: string;
  }
}

/**
 * Runs once before all test files: checks the Temporal binaries are there (a missing server
 * must fail the suite, not skip it) and bundles the workflow code once for every worker.
 */
export default async function setup(project: TestProject) {
  for (const [what, path] of [
    ['Temporal CLI', temporalCliPath()],
    ['time-skipping test server', testServerPath()],
  ] as const) {
    if (!path) throw new Error(`no ${what} found: run \`npm run provision\` (or set its path in the environment)`);
  }
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  mkdirSync('.cache', { recursive: true });
  const path = `${process.cwd()}/.cache/workflow-bundle.js`;
  writeFileSync(path, code);
  project.provide('workflowBundlePath', path);
}

const noop = () => {};
const quietLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
