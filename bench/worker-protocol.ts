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
  /**
   * Run workflows in the process's main isolate (the SDK's debugMode, same reusable context)
   * rather than its worker threads, so their heap can be measured after a full collection.
   */
  workflowsInMainIsolate?: boolean;
}

export type ToWorker = { type: 'memory' } | { type: 'stop' };
/** `heapUsed` after a full collection: the main isolate's, where workflowsInMainIsolate puts the workflows. */
export interface Memory {
  rss: number;
  heapUsed: number;
}
export type FromWorker = { type: 'ready' } | ({ type: 'memory' } & Memory) | { type: 'stamp'; dueAt: number; at: number };
