import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../machines';
import { viewQuery } from '../../workflows/messages';
import { PathwayFlags } from '../../workflows/search-attributes';
import { outreachWorker } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { smtpServer, teamDirectory } from '../support/smtp';
import { taskQueue, timeSkipping, worker } from '../support/temporal';

/** The recovery plan's reviews, the yearly review and the safety marker, on the time-skipping server with real mail. */
let env: TestWorkflowEnvironment;
let smtp: Awaited<ReturnType<typeof smtpServer>>;
let w: Worker;
let running: Promise<void>;
const queue = taskQueue();
const directory = teamDirectory();

beforeAll(async () => {
  env = await timeSkipping();
  smtp = await smtpServer();
  const mail = { SMTP_URL: smtp.url, MAIL_FROM: 'forloeb@kommune.test', LINK_BASE_URL: 'https://pathways.kommune.test', TEAM_DIRECTORY_PATH: directory };
  w = await worker(env, queue, { mail });
  running = w.run();
});

afterAll(async () => {
  w?.shutdown();
  await running;
  await env?.teardown();
  await smtp?.close();
});

/** The notices of `kind` this pathway's team was sent, by their key. */
const sent = (h: PathwayHandle, kind: string) =>
  smtp.received.filter((m) => m.subject.includes(h.workflowId.replace(/^pathway-/, '')) && m.noticeKey.startsWith(kind)).map((m) => m.noticeKey);
const flagsOf = async (h: PathwayHandle) => (await h.describe()).typedSearchAttributes.get(PathwayFlags) ?? [];
/** Keeps the pathway in contact, so outreach's own deadline does not crowd the mailbox. */
const contact = (h: PathwayHandle) => act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' });

describe('the recovery plan under skipped time', () => {
  it('reminds the team a week before a review, flags a missed review for the inbox and stuck list, and clears it at the review', async () => {
    const h = await startPathway(env, queue);
    const start = await env.currentTimeMs();
    await act(h, outreachWorker, { type: 'goal.add', goal: 'walk the dog every day', area: 'daily-life', reviewAt: start + 10 * DAY });

    await env.sleep(3 * DAY + 60_000);
    await eventually(() => expect(sent(h, 'review-reminder-goal-1')).toHaveLength(1));
    expect(await flagsOf(h)).not.toContain('review-missed');

    await contact(h);
    await env.sleep(7 * DAY);
    await eventually(async () => expect(await flagsOf(h)).toContain('review-missed'));
    expect(sent(h, 'review-due-goal-1')).toHaveLength(1);

    const reviewed = await act(h, outreachWorker, { type: 'goal.review', goalId: 'goal-1', rating: 6, note: 'most days', nextReviewAt: (await env.currentTimeMs()) + 30 * DAY });
    expect(reviewed.flags).not.toContain('review-missed');
    expect(reviewed.goals[0]).toMatchObject({ id: 'goal-1', reviews: [{ rating: 6, note: 'most days' }] });
    await eventually(async () => expect(await flagsOf(h)).not.toContain('review-missed'));
    // Each notice once.
    expect(sent(h, 'review-reminder-goal-1')).toHaveLength(1);
  });

  it('makes the yearly review fall due a year after the start, and the safety marker a generic flag', async () => {
    const h = await startPathway(env, queue);
    const start = await env.currentTimeMs();
    await act(h, outreachWorker, { type: 'safety.set', concern: 'violence-risk', precautions: 'visit two together', reviewAt: start + 365.5 * DAY });
    await eventually(async () => expect(await flagsOf(h)).toContain('safety-marker'));
    // The flag says only that there is a marker: what and why stay in the encrypted payloads.
    const published = JSON.stringify((await h.describe()).typedSearchAttributes);
    expect(published).toContain('safety-marker');
    expect(published).not.toContain('two together');

    await env.sleep(365 * DAY + 60_000);
    await eventually(async () => expect(await flagsOf(h)).toContain('yearly-review-due'));
    expect(sent(h, 'yearly-review')).toHaveLength(1);
    const view = await act(h, outreachWorker, { type: 'review.yearly', note: 'two goals advanced' });
    expect(view.flags).not.toContain('yearly-review-due');
    expect(view.deadlines.find((d) => d.kind === 'yearly-review')?.at).toBeGreaterThan(start + 2 * 365 * DAY - DAY);
    expect((await h.query(viewQuery, outreachWorker)).safety).toMatchObject({ precautions: 'visit two together' });
  });
});

describe('a request to a partner under skipped time', () => {
  it('reminds the team a day before the agreed answer, escalates to supervisors and flags the case when it is late, and clears at the answer', async () => {
    const h = await startPathway(env, queue);
    await act(h, outreachWorker, { type: 'consent.record', given: true, scope: 'partner', recipient: 'region-psych' });
    const asked = await act(h, outreachWorker, { type: 'partner.request', partnerId: 'region-psych', request: 'a psychiatric assessment', responseDays: 5 });
    expect(asked.circle.requests[0]).toMatchObject({ id: 'request-1', answeredAt: null });

    await env.sleep(4 * DAY + 60_000);
    await eventually(() => expect(sent(h, 'partner-reminder-request-1')).toHaveLength(1));
    expect(await flagsOf(h)).not.toContain('partner-overdue');
    await contact(h);
    await env.sleep(DAY);
    await eventually(async () => expect(await flagsOf(h)).toContain('partner-overdue'));
    const escalation = smtp.received.filter((m) => m.noticeKey.startsWith('partner-due-request-1') && m.subject.includes(h.workflowId.replace(/^pathway-/, '')));
    expect(escalation).toHaveLength(1);
    // To the team's supervisors (the directory's supervisor address), not the coordinators.
    expect(escalation[0]!.to).toEqual(['outreach-lead@kommune.test']);

    const answered = await act(h, outreachWorker, { type: 'partner.answer', requestId: 'request-1', note: 'assessment booked for Monday' });
    expect(answered.flags).not.toContain('partner-overdue');
    await eventually(async () => expect(await flagsOf(h)).not.toContain('partner-overdue'));
  });
});
