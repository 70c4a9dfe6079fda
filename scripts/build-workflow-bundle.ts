/**
 * `npm run build:workflows`: prebuilds the workflow bundle for production workers, so they
 * start in a second and run exactly the code that was tested. Point WORKFLOW_BUNDLE_PATH at it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowBundleOptions } from '../worker/create-worker';

const out = process.argv[2] ?? 'dist/workflow-bundle.js';
const { code } = await bundleWorkflowCode(workflowBundleOptions);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, code);
console.log(`workflow bundle written to ${out} (${(code.length / 1024).toFixed(0)} KiB)`);
