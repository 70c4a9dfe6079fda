import { describe, expect, it } from 'vitest';
import { jsonWorkerLogger } from '../../worker/log';

describe('the worker’s log', () => {
  it('is one JSON line per entry, with the SDK’s attributes and the request’s correlation id, at the level asked', async () => {
    const lines: string[] = [];
    const logger = jsonWorkerLogger('INFO', { write: (line) => void lines.push(line) });
    logger.info('Activity completed', { activityType: 'writeRecords', workflowId: 'pathway-1', correlationId: 'c-1', durationMs: 12n });
    logger.debug('not at INFO');
    logger.warn('Activity failed', { activityType: 'deliverNotice' });
    expect(lines).toHaveLength(2);
    const [done, failed] = lines.map((l) => JSON.parse(l));
    expect(done).toMatchObject({ level: 30, component: 'worker', msg: 'Activity completed', activityType: 'writeRecords', correlationId: 'c-1', durationMs: '12' });
    expect(failed).toMatchObject({ level: 40, msg: 'Activity failed' });
  });
});
