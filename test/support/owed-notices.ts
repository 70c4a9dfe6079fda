import { expect } from 'vitest';
import { messageId } from '../../activities/mail';
import type { NoticeInput } from '../../activities/notices';
import { auditQuery } from '../../workflows/messages';
import type { PathwayHandle } from './client';
import { eventually } from './eventually';

/**
 * The no-contact notice each pathway owes once its deadline has passed, named as its e-mail
 * will be: the key from the passed deadline, and the Message-ID the mailer derives from it.
 */
export function owedNoContactNotices(handles: PathwayHandle[], from: string, withinMs: number) {
  return eventually(
    () =>
      Promise.all(
        handles.map(async (h) => {
          const passed = (await h.query(auditQuery)).find((e) => e.type === 'deadline.passed' && e.details?.kind === 'no-contact');
          expect(passed, h.workflowId).toBeDefined();
          const key = `no-contact@${new Date(passed!.at).toISOString()}`;
          const pathwayId = h.workflowId.replace(/^pathway-/, '');
          return { h, key, messageId: messageId({ key, pathwayId } as NoticeInput, from) };
        }),
      ),
    withinMs,
  );
}
