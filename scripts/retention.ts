import type { Client } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { z } from 'zod';
import { parseEnv } from '../config/env';

/** How long Temporal keeps a closed pathway's run; after that the record store alone has it. */
export const RetentionSchema = z.object({ TEMPORAL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30) });
export const retentionDays = (env: Record<string, string | undefined> = process.env) => parseEnv(RetentionSchema, env, 'configuration').TEMPORAL_RETENTION_DAYS;

/** Sets the namespace's retention of closed runs (the dev server's own default is one day). */
export async function applyRetention(client: Client, namespace: string, days: number): Promise<void> {
  await client.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(days * 86_400_000) } });
}
