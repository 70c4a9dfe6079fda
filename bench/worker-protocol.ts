/** What the bench and its worker processes say to each other. */
export interface WorkerSpec {
  address: string;
  pathwayQueue?: string;
  pathwayBundle?: string;
  /** A second pathway worker, without payload encryption, for the encryption comparison. */
  plainPathwayQueue?: string;
  baselineQueue?: string;
  baselineBundle?: string;
  /** Workflows kept in the worker's cache; 0 replays every task from history. */
  maxCachedWorkflows?: number;
}

export type ToWorker = { type: 'rss' } | { type: 'stop' };
export type FromWorker = { type: 'ready' } | { type: 'rss'; rss: number } | { type: 'stamp'; dueAt: number; at: number };
