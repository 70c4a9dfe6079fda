import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { CalendarSchema, DAY, HOUR, previousWorkingDay } from '../../machines';
import { boardQuery, facilityWorkflowId } from '../../workflows/facility-messages';
import { viewQuery, type PathwayWorkflowView } from '../../workflows/messages';
import { PathwayFlags } from '../../workflows/search-attributes';
import { carePlaceLead, carer, outreachWorker } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { toWaiting } from '../support/journeys';
import { smtpServer, teamDirectory } from '../support/smtp';
import { taskQueue, timeSkipping, worker } from '../support/temporal';
import { fileRecords, registerFacility } from '../support/records';

let env: TestWorkflowEnvironment;
let smtp: Awaited<ReturnType<typeof smtpServer>>;
let w: Worker;
let running: Promise<void>;
const queue = taskQueue();
const directory = teamDirectory();
const mail = () => ({ SMTP_URL: smtp.url, MAIL_FROM: 'forloeb@kommune.test', LINK_BASE_URL: 'https://pathways.kommune.test', TEAM_DIRECTORY_PATH: directory });

async function startWorker() {
  // Without a cache no sticky queue outlives a stopped worker: the time-skipping server would
  // wait for that queue's timeout on its frozen clock. Every task replays from history instead.
  w = await worker(env, queue, { mail: mail(), noCache: true });
  running = w.run();
}
async function stopWorker() {
  w.shutdown();
  await running;
}

beforeAll(async () => {
  env = await timeSkipping();
  smtp = await smtpServer();
  await startWorker();
});

afterAll(async () => {
  await stopWorker();
  await env?.teardown();
  await smtp?.close();
});

const dk = CalendarSchema.parse({});
const mailsOf = (h: PathwayHandle) => smtp.received.filter((m) => m.subject.includes(h.workflowId.replace(/^pathway-/, '')));
/** The due time a notice names in its body ("Tidspunkt: 2026-01-05 09:00 UTC"). */
const dueIn = (text: string) => Date.parse(`${/(?:Tidspunkt|Due): (\S+ \S+) UTC/.exec(text)![1]!.replace(' ', 'T')}:00Z`);
const minute = (t: number) => Math.floor(t / 60_000) * 60_000;
/** The weekday and hour of a moment in Copenhagen. */
const localDay = (t: number) => {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: dk.timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' }).formatToParts(t);
  return { weekday: parts.find((p) => p.type === 'weekday')!.value, hour: Number(parts.find((p) => p.type === 'hour')!.value) };
};
/** The first whole hour after `t` whose Copenhagen time satisfies `ok`. */
const nextLocal = (t: number, ok: (d: ReturnType<typeof localDay>) => boolean) => {
  let at = Math.ceil(t / HOUR) * HOUR;
  while (!ok(localDay(at))) at += HOUR;
  return at;
};

async function inStay(facilityId: string): Promise<{ h: PathwayHandle; view: Extract<PathwayWorkflowView, { stage: 'stay' }> }> {
  await registerFacility(await fileRecords(), facilityId);
  const h = await startPathway(env, queue);
  await toWaiting(h);
  await act(h, carer, { type: 'waitlist.join', facilityId });
  let view!: PathwayWorkflowView;
  await eventually(async () => {
    view = await h.query(viewQuery, carer);
    expect(view.stage).toBe('stay');
  });
  if (view.stage !== 'stay') throw new Error('unreachable');
  return { h, view };
}

describe('stay reminders by e-mail', () => {
  it('sends each reminder once at its offset, moved off closed days, and escalates at the limit', async () => {
    const { h, view } = await inStay('reminder-house');
    const { startedAt, endsAt } = view.stay;
    expect(endsAt - startedAt).toBe(56 * DAY);
    await env.sleep(endsAt - (await env.currentTimeMs()) + HOUR);

    const expected = [14, 7, 2].map((d) => minute(previousWorkingDay(endsAt - d * DAY, dk)));
    await eventually(() => expect(mailsOf(h).filter((m) => /^(stay-|discharge-planning)/.test(m.noticeKey))).toHaveLength(5));
    const mails = mailsOf(h);
    const reminders = mails.filter((m) => m.noticeKey.startsWith('stay-reminder'));
    expect(reminders.map((m) => dueIn(m.text))).toEqual(expected);
    expect(reminders.every((m) => m.to.join() === 'care-place@kommune.test')).toBe(true);
    expect(reminders[1]!.subject).toMatch(/Opholdet på omsorgspladsen slutter om \d+ dage$/);

    const escalation = mails.find((m) => m.noticeKey.startsWith('stay-limit@'))!;
    expect(escalation.to).toEqual(['care-place-lead@kommune.test']);
    expect(dueIn(escalation.text)).toBe(minute(endsAt));
    expect(mails.find((m) => m.noticeKey.startsWith('discharge-planning'))?.to).toEqual(['care-place@kommune.test']);

    // Exactly once, and the Message-ID is the notice key's.
    expect(new Set(mails.map((m) => m.noticeKey)).size).toBe(mails.length);
    for (const m of mails) expect(m.messageId).toContain(m.noticeKey.replace(/[^A-Za-z0-9.-]/g, '-'));
    const flags = (await h.describe()).typedSearchAttributes.get(PathwayFlags);
    expect(flags).toEqual(expect.arrayContaining(['stay-limit-exceeded', 'discharge-planning-late']));
  });

  it('puts nothing personal in an e-mail, only the opaque reference and a link', async () => {
    const h = await startPathway(env, queue, { citizenRef: 'ref-7f3a' });
    await act(h, outreachWorker, { type: 'note.add', text: 'Jens Hansen, CPR 010190-1234' });
    await act(h, outreachWorker, { type: 'consent.record', given: true });
    await act(h, outreachWorker, { type: 'referral.request' });
    await eventually(() => expect(mailsOf(h)).toHaveLength(1));
    const [m] = mailsOf(h);
    expect(m!.to).toEqual(['liaison@kommune.test']);
    expect(m!.raw).not.toMatch(/Jens|Hansen|010190|ref-7f3a/);
    expect(m!.text).toContain(`https://pathways.kommune.test/pathways/${h.workflowId.replace(/^pathway-/, '')}`);
  });

  it('shifts later reminders after an approved extension, and sends none twice', async () => {
    const { h, view } = await inStay('extension-house');
    const { endsAt } = view.stay;
    await env.sleep(endsAt - 13 * DAY - (await env.currentTimeMs())); // past the 14-day reminder
    await act(h, carer, { type: 'extension.request', days: 14, reason: 'flat ready in two weeks' });
    await act(h, carePlaceLead, { type: 'extension.approve', reason: 'agreed at the team meeting' });
    const newEnd = endsAt + 14 * DAY;
    await env.sleep(newEnd - (await env.currentTimeMs()) + HOUR);

    await eventually(() => expect(mailsOf(h).filter((m) => m.noticeKey.startsWith('stay-limit@'))).toHaveLength(1));
    const reminders = mailsOf(h).filter((m) => m.noticeKey.startsWith('stay-reminder'));
    expect(reminders.map((m) => dueIn(m.text))).toEqual([
      minute(previousWorkingDay(endsAt - 14 * DAY, dk)),
      ...[14, 7, 2].map((d) => minute(previousWorkingDay(newEnd - d * DAY, dk))),
    ]);
    expect(new Set(reminders.map((m) => m.noticeKey)).size).toBe(4);
  });

  it('sends at once, key unchanged, a reminder that an extension approved on a Saturday afternoon moves to the past Friday', async () => {
    // A stay that starts at 19:00 in Copenhagen has its reminders fall due in the evening.
    const start = await env.currentTimeMs();
    await env.sleep(nextLocal(start, (d) => d.hour === 19) - start);
    const { h, view } = await inStay('weekend-house');
    const { startedAt, endsAt } = view.stay;
    // Extend by n days so that the new 14-day reminder falls due on a Saturday evening.
    const n = [1, 2, 3, 4, 5, 6, 7].find((d) => localDay(startedAt + (42 + d) * DAY).weekday === 'Sat')!;
    const newEnd = endsAt + n * DAY;
    await act(h, carer, { type: 'extension.request', days: n, reason: 'flat ready a few days later' });
    const saturdayAfternoon = newEnd - 14 * DAY - 4 * HOUR;
    await env.sleep(saturdayAfternoon - (await env.currentTimeMs()));
    await act(h, carePlaceLead, { type: 'extension.approve', reason: 'agreed on the phone' });

    // Due this evening, moved to Friday, already past: it goes out now, under the Friday key.
    const moved = previousWorkingDay(newEnd - 14 * DAY, dk);
    expect(moved).toBeLessThan(saturdayAfternoon);
    const key = `stay-reminder-14d@${new Date(moved).toISOString()}`;
    await eventually(() => expect(mailsOf(h).filter((m) => m.noticeKey === key)).toHaveLength(1));
    const late = mailsOf(h).find((m) => m.noticeKey === key)!;
    expect(dueIn(late.text)).toBe(minute(moved));
    expect(late.to).toEqual(['care-place@kommune.test']);

    // Once, and the later reminders still come.
    await env.sleep(newEnd - (await env.currentTimeMs()) + HOUR);
    await eventually(() => expect(mailsOf(h).filter((m) => m.noticeKey.startsWith('stay-limit@'))).toHaveLength(1));
    const keys = mailsOf(h).filter((m) => m.noticeKey.startsWith('stay-reminder')).map((m) => m.noticeKey);
    expect(keys.filter((k) => k === key)).toHaveLength(1);
    expect(new Set(keys).size).toBe(keys.length);
    for (const d of [7, 2]) expect(keys).toContain(`stay-reminder-${d}d@${new Date(previousWorkingDay(newEnd - d * DAY, dk)).toISOString()}`);
  });

  it('stops the clock in hospital and releases the place when the hold runs out', async () => {
    const { h } = await inStay('hold-house');
    await act(h, carer, { type: 'hospital.admit' });
    await env.sleep(10 * DAY);
    const paused = await h.query(viewQuery, carer);
    expect(paused.stage === 'stay' && paused.stay.paused).toBe(true);
    expect(paused.flags).toContain('hospital-admitted');
    // While the clock stands still, no stay reminder is pending: only the hold on the place.
    // Only the hold runs for the stay; the yearly review is the citizen's and runs on.
    expect(paused.deadlines.map((d) => d.kind)).toEqual(['hospital-hold', 'yearly-review']);
    expect(mailsOf(h).filter((m) => m.noticeKey.startsWith('stay-'))).toEqual([]);
    await env.sleep(5 * DAY);
    await eventually(async () => expect((await h.query(viewQuery, carer)).stage).toBe('waiting'));
    await eventually(async () => {
      const board = await env.client.workflow.getHandle(facilityWorkflowId('hold-house')).query(boardQuery);
      expect(board.occupants).toEqual([]);
    });
    await eventually(() => expect(mailsOf(h).some((m) => m.noticeKey.startsWith('hospital-hold'))).toBe(true));
  });

  it('misses and repeats nothing when the worker is replaced mid-stay', async () => {
    const { h, view } = await inStay('restart-house');
    await env.sleep(view.stay.endsAt - 10 * DAY - (await env.currentTimeMs())); // the first reminder is out
    await eventually(() => expect(mailsOf(h).filter((m) => m.noticeKey.startsWith('stay-reminder'))).toHaveLength(1));
    // A new worker starts with an empty cache and rebuilds the pathway from its history.
    // (The time-skipping server cannot advance time with no worker at all: it waits for each
    // due workflow task. Downtime across deadlines is covered on the dev server in bench/fault tests.)
    await stopWorker();
    await startWorker();
    await env.sleep(view.stay.endsAt - (await env.currentTimeMs()) + HOUR);
    // Three reminders, the discharge-planning reminder and the escalation at the limit.
    await eventually(() => expect(mailsOf(h).filter((m) => /^(stay-|discharge-planning)/.test(m.noticeKey))).toHaveLength(5));
    const keys = mailsOf(h).map((m) => m.noticeKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('flags notices that keep failing, and delivers them when the mail server recovers', async () => {
    smtp.refuse(true);
    const h = await startPathway(env, queue);
    await act(h, outreachWorker, { type: 'consent.record', given: true });
    await act(h, outreachWorker, { type: 'referral.request' });
    await eventually(async () => {
      await env.sleep(5 * 60_000);
      expect((await h.describe()).typedSearchAttributes.get(PathwayFlags)).toContain('notice-failing');
    }, 60_000);
    expect(smtp.refusedCount()).toBeGreaterThan(0);
    expect(mailsOf(h)).toHaveLength(0);
    smtp.refuse(false);
    await env.sleep(20 * 60_000);
    await eventually(() => expect(mailsOf(h)).toHaveLength(1), 60_000);
    await eventually(async () => expect((await h.describe()).typedSearchAttributes.get(PathwayFlags)).not.toContain('notice-failing'));
  }, 120_000);
});
