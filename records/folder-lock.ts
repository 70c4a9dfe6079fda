import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

export class RecordsLockedError extends Error {
  override name = 'RecordsLockedError';
}

/**
 * One process at a time per embedded database: PGlite does not guard its folder, and two
 * processes writing one would corrupt it. The lock file holds the owner's pid; a lock whose
 * process is gone (killed, crashed) is stale and taken over. Returns the release function.
 */
export function lockFolder(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => {
        if (ownerOf(lockPath) === process.pid) unlinkSync(lockPath);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = ownerOf(lockPath);
      if (owner !== null && alive(owner)) {
        throw new RecordsLockedError(
          `the embedded record store is in use by process ${owner} (${lockPath}): it takes one process at a time; ` +
            'stop that process, or set DATABASE_URL to share a PostgreSQL server',
        );
      }
      removeStale(lockPath);
    }
  }
  throw new RecordsLockedError(`could not take the lock ${lockPath}: another process took it at the same time`);
}

function removeStale(lockPath: string) {
  try {
    unlinkSync(lockPath);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function ownerOf(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
