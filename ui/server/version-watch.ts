import type { Client } from '@temporalio/client';
import { SYSTEM } from '../../machines';
import { viewQuery } from '../../workflows/messages';

interface Waiter {
  after: number;
  settle(changed: boolean): void;
  fail(err: unknown): void;
}
interface Watch {
  waiters: Set<Waiter>;
  /** History length when the version was last read: it only changes when history grows. */
  historyLength: number;
  version: number;
}

/**
 * Lets any number of clients wait for a pathway's next version with one poller per pathway.
 * Each round describes the workflow (the server answers; no worker, no history) and reads the
 * version with a query only when the history has grown. Polling stops when nobody waits, and
 * for a pathway whose workflow has ended (its version cannot change again).
 */
export class VersionWatch {
  private readonly watches = new Map<string, Watch>();
  private readonly closing = new Set<Waiter>();

  constructor(
    private readonly client: Client,
    private readonly o: { everyMs: number; rpcTimeoutMs: number },
  ) {}

  /** True once the version passes `after`; false after `timeoutMs`, on `signal`, or when the API closes. */
  waitPast(workflowId: string, after: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const existing = this.watches.get(workflowId);
    const w: Watch = existing ?? { waiters: new Set(), historyLength: -1, version: 0 };
    // Seen by this poller already (between the caller's own read and now).
    if (w.version > after) return Promise.resolve(true);
    const waiting = new Promise<boolean>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', abort);
        w.waiters.delete(waiter);
        this.closing.delete(waiter);
      };
      const waiter: Waiter = {
        after,
        settle: (changed) => (done(), resolve(changed)),
        fail: (err) => (done(), reject(err)),
      };
      const abort = () => waiter.settle(false);
      const timer = setTimeout(abort, timeoutMs);
      signal?.addEventListener('abort', abort);
      w.waiters.add(waiter);
      this.closing.add(waiter);
    });
    if (!existing) {
      this.watches.set(workflowId, w);
      void this.poll(workflowId, w);
    }
    return waiting;
  }

  /** Answers every waiter now (unchanged), so a shutdown does not wait for long polls. */
  close() {
    for (const w of [...this.closing]) w.settle(false);
  }

  private async poll(workflowId: string, watch: Watch) {
    const handle = this.client.workflow.getHandle(workflowId);
    const timely = <T>(fn: () => Promise<T>) => this.client.withDeadline(Date.now() + this.o.rpcTimeoutMs, fn);
    while (watch.waiters.size > 0) {
      try {
        const d = await timely(() => handle.describe());
        if (d.status.name !== 'RUNNING') {
          // Closed: its last version is final. Answer now; the caller reads the closed pathway afresh.
          for (const w of [...watch.waiters]) w.settle(true);
          break;
        }
        if (d.historyLength !== watch.historyLength) {
          const { version } = await timely(() => handle.query(viewQuery, SYSTEM));
          Object.assign(watch, { historyLength: d.historyLength, version });
          for (const w of [...watch.waiters]) if (version > w.after) w.settle(true);
        }
      } catch (err) {
        for (const w of [...watch.waiters]) w.fail(err);
      }
      if (watch.waiters.size > 0) await new Promise((r) => setTimeout(r, this.o.everyMs));
    }
    this.watches.delete(workflowId);
  }
}
