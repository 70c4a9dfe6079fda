import { log, metricMeter } from '@temporalio/activity';
import type { Effect } from '../machines';

export type Notify = Extract<Effect, { type: 'notify' }>;
export interface NoticeInput extends Notify {
  pathwayId: string;
}

/**
 * Delivers a notice about a pathway deadline. Without a mail transport configured the
 * notice still shows as a flag in the pathway, and this says so in the log.
 * The notice key doubles as idempotency key, so a retried delivery can be recognised.
 */
export function createNoticeActivities(deliver?: (notice: NoticeInput) => Promise<void>) {
  return {
    async deliverNotice(notice: NoticeInput): Promise<{ delivered: boolean }> {
      // Through the SDK runtime's metrics (WORKER_METRICS_ADDRESS): each attempt, by kind and result.
      const attempts = metricMeter.createCounter('care_notices', 'attempts', 'Notice deliveries, by kind and result');
      if (!deliver) {
        log.info('e-mail is off: notice shown as a flag only', { pathwayId: notice.pathwayId, kind: notice.kind, key: notice.key });
        attempts.add(1, { kind: notice.kind, result: 'mail-off' });
        return { delivered: false };
      }
      try {
        await deliver(notice);
      } catch (err) {
        attempts.add(1, { kind: notice.kind, result: 'failed' });
        throw err;
      }
      attempts.add(1, { kind: notice.kind, result: 'sent' });
      return { delivered: true };
    },
  };
}

export type NoticeActivities = ReturnType<typeof createNoticeActivities>;
