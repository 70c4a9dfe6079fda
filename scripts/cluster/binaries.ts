import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Temporal server release the cluster runs: v1.32.2 asks for a newer Go than Debian's 1.26. */
export const SERVER_VERSION = 'v1.32.0';
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, '.temporal', `server-${SERVER_VERSION}`);

export interface ServerBinaries {
  /** The Temporal server (`go.temporal.io/server/cmd/server`). */
  server: string;
  /** Temporal's SQL schema tool (`cmd/tools/sql`), from the same module. */
  sqlTool: string;
  /** The PostgreSQL schemas the module carries: `temporal/versioned` and `visibility/versioned`. */
  schemaDir: string;
}

/**
 * The server and its SQL tool, built from the Go module through the Go module proxy into
 * `.temporal/server-<version>/` on first use (about 13 minutes on two cores), then reused.
 */
export function ensureServerBinaries(log: (line: string) => void = console.log): ServerBinaries {
  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.status !== 0) throw new Error('the cluster builds the Temporal server from its Go module: install Go (Debian: apt-get install golang) and run again');
  const built = { server: join(bin, 'server'), sqlTool: join(bin, 'sql') };
  for (const [name, path] of Object.entries({ server: built.server, sql: built.sqlTool })) {
    if (existsSync(path)) continue;
    const pkg = name === 'server' ? 'go.temporal.io/server/cmd/server' : 'go.temporal.io/server/cmd/tools/sql';
    log(`cluster: building ${pkg}@${SERVER_VERSION} into ${bin} (once; about 13 minutes on two cores)…`);
    execFileSync('go', ['install', `${pkg}@${SERVER_VERSION}`], { env: { ...process.env, GOBIN: bin }, stdio: 'inherit' });
  }
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const schemaDir = join(modCache, `go.temporal.io/server@${SERVER_VERSION}`, 'schema', 'postgresql', 'v12');
  if (!existsSync(schemaDir)) throw new Error(`the module's PostgreSQL schemas are not at ${schemaDir}`);
  return { ...built, schemaDir };
}
