import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeInput } from '../../activities/notices';
import { liaison, outreachWorker } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { activityEvents, localActivities, replays, settledHistory } from '../support/history';
import { smtpServer, teamDirectory } from '../support/smtp';
import { devServer, taskQueue, worker } from '../support/temporal';

/** An action's notice goes out in the action's own task (`notices-in-task`, workflows/effects.ts). */
let env: TestWorkflowEnvironment;
let smtp: Awaited<ReturnType<typeof smtpServer>>;
beforeAll(async () => {
  env = await devServer();
  smtp = await smtpServer();
});
afterAll(async () => {
  await env?.teardown();
  await smtp?.close();
});

/** What the mailer was handed, and whether as a local activity (in the task) or the durable one: to make the first fail. */
interface Handed {
  kind: string;
  local: boolean;
  sent: boolean;
}
const mailer = (o: { failLocal?: boolean } = {}) => {
  const handed: Handed[] = [];
  const deliver = async (n: NoticeInput) => {
    const { isLocal } = Context.current().info;
    const fail = o.failLocal === true && isLocal;
    handed.push({ kind: n.kind, local: isLocal, sent: !fail });
    if (fail) throw new Error('the mail server hiccups');
  };
  return { handed, deliver };
};

const durableNotices = async (h: PathwayHandle) => activityEvents((await h.fetchHistory()).events ?? [], 'deliverNotice').scheduled;

/** Consent, then the referral, whose step asks the liaison team to take the pathway (a notice). */
async function refer(h: PathwayHandle) {
  const { version } = await act(h, outreachWorker, { type: 'consent.record', given: true }, { version: 1 });
  await settledHistory(h);
  const before = { local: await localActivities(h), durable: await durableNotices(h) };
  const referred = await act(h, outreachWorker, { type: 'referral.request' }, { version });
  return { before, version: referred.version };
}

describe("an action's notice", () => {
  it('goes out in the task of the action that makes it, before the action is answered, with 1 history event for it', async () => {
    const queue = taskQueue();
    await (await worker(env, queue, { mail: { SMTP_URL: smtp.url, TEAM_DIRECTORY_PATH: teamDirectory() } })).runUntil(async () => {
      const h = await startPathway(env, queue);
      await settledHistory(h);
      const { before } = await refer(h);
      // Answered: the receiving team's mailbox has it already.
      const theirs = smtp.received.filter((m) => m.noticeKey.startsWith('handoff-requested@') && m.raw.includes(h.workflowId.slice('pathway-'.length)));
      expect(theirs.map((m) => m.to)).toEqual([['liaison@kommune.test']]);
      await settledHistory(h);
      expect(await localActivities(h)).toBe(before.local + 1);
      expect(await durableNotices(h)).toBe(before.durable);
      await replays(h);
    });
  });

  it('goes the durable way when its attempt in the task fails, and so does the next for a minute after', async () => {
    const queue = taskQueue();
    const mail = mailer({ failLocal: true });
    await (await worker(env, queue, { deliver: mail.deliver })).runUntil(async () => {
      const h = await startPathway(env, queue);
      await settledHistory(h);
      const { before, version } = await refer(h);
      await eventually(() => expect(mail.handed.filter((m) => m.sent)).toHaveLength(1));
      expect(mail.handed).toEqual([
        { kind: 'handoff-requested', local: true, sent: false },
        { kind: 'handoff-requested', local: false, sent: true },
      ]);
      // The assessment sends the pathway on to the care place: a second handoff, a second notice, not tried in its task.
      const accepted = await act(h, liaison, { type: 'handoff.accept' }, { version });
      await act(h, liaison, { type: 'assessment.outcome', outcome: 'care-place' }, { version: accepted.version });
      await eventually(() => expect(mail.handed.filter((m) => m.sent)).toHaveLength(2));
      expect(mail.handed.slice(2)).toEqual([{ kind: 'handoff-requested', local: false, sent: true }]);
      await settledHistory(h);
      expect(await durableNotices(h)).toBe(before.durable + 2);
      await replays(h);
    });
  });
});
