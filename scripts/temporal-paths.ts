import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The provisioning script is plain JS so npm can run it before TypeScript tooling exists.
import { wheels } from './provision-temporal.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Where a Temporal binary is: the environment variable if set, else the project-local copy
 * from `npm run provision`, else undefined (the SDK then downloads one, which needs internet).
 */
function find(bin: 'temporal' | 'temporal-test-server'): string | undefined {
  const wheel = wheels.find((w: { bin: string }) => w.bin === bin)!;
  const override = process.env[wheel.env];
  if (override) return override;
  const local = `${root}.temporal/${wheel.pkg}/${wheel.version}/bin/${bin}`;
  return executable(local) ? local : undefined;
}

export const temporalCliPath = () => find('temporal');
export const testServerPath = () => find('temporal-test-server');
