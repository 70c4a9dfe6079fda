import { MockActivityEnvironment } from '@temporalio/testing';
import { describe, expect, it } from 'vitest';
import { createMailer, loadMailConfig, messageId, registryAddresses } from '../../activities/mail';
import { deactivateTeam, upsertTeam } from '../../records';
import { testRecords } from '../support/records';
import type { NoticeInput } from '../../activities/notices';
import { renderNotice } from '../../activities/templates';
import { DAY } from '../../machines';
import { smtpServer, teamDirectory } from '../support/smtp';

const notice: NoticeInput = {
  type: 'notify',
  key: 'stay-reminder-7d@2026-03-02T09:00:00.000Z',
  kind: 'stay-reminder',
  dueAt: Date.parse('2026-03-02T09:00:00Z'),
  about: Date.parse('2026-03-02T09:00:00Z') + 7 * DAY,
  notice: { audience: 'team', teams: ['care-place'] },
  pathwayId: 'a1b2c3',
};

describe('notice e-mails', () => {
  it('speak Danish and English, naming only the pathway reference and its link', () => {
    const da = renderNotice(notice, 'da', 'https://pathways.kommune.test/');
    expect(da.subject).toBe('[Forløb a1b2c3] Opholdet på omsorgspladsen slutter om 7 dage');
    expect(da.text).toContain('https://pathways.kommune.test/pathways/a1b2c3');
    expect(da.text).toContain('Tidspunkt: 2026-03-02 09:00 UTC');
    const en = renderNotice({ ...notice, kind: 'handoff-overdue' }, 'en', 'https://x.test');
    expect(en.subject).toBe('[Pathway a1b2c3] Escalation: handoff not accepted in time');
  });

  it('get a stable Message-ID from the notice key', () => {
    expect(messageId(notice, 'forloeb@kommune.test')).toBe('<stay-reminder-7d-2026-03-02T09-00-00.000Z.a1b2c3@kommune.test>');
    expect(messageId(notice, 'x@y.test')).toBe(messageId(notice, 'x@y.test'));
  });

  it('are off without SMTP_URL, and refuse half a configuration', () => {
    expect(loadMailConfig({}).SMTP_URL).toBeUndefined();
    // The addresses come from the registry: a directory file is optional.
    expect(loadMailConfig({ SMTP_URL: 'smtp://mail:25' }).TEAM_DIRECTORY_PATH).toBeUndefined();
    expect(() => loadMailConfig({ SMTP_URL: 'http://mail', TEAM_DIRECTORY_PATH: '/x' })).toThrow(/SMTP_URL/);
    expect(() => loadMailConfig({ MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM/);
  });

  it('name the pathway in a header, by its opaque id', async () => {
    const smtp = await smtpServer();
    try {
      const directory = teamDirectory();
      const mail = createMailer({ ...loadMailConfig({ SMTP_URL: smtp.url, TEAM_DIRECTORY_PATH: directory }), SMTP_URL: smtp.url }, registryAddresses(await testRecords(), directory));
      await new MockActivityEnvironment().run(mail, notice);
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.raw).toMatch(/^X-Pathway-Id: a1b2c3\r?$/im);
      expect(smtp.received[0]!.noticeKey).toBe(notice.key);
    } finally {
      await smtp.close();
    }
  });

  it('go to the addresses the registry holds now, and not to a deactivated team', async () => {
    const smtp = await smtpServer();
    const records = await testRecords();
    try {
      const mail = createMailer({ ...loadMailConfig({ SMTP_URL: smtp.url }), SMTP_URL: smtp.url }, registryAddresses(records));
      const team = { id: 'care-place', name: 'Care place', language: 'en' as const, coordinators: ['first@kommune.test'], supervisors: [], active: true };
      await upsertTeam(records.db, team);
      await new MockActivityEnvironment().run(mail, notice);
      await upsertTeam(records.db, { ...team, coordinators: ['second@kommune.test'] });
      await new MockActivityEnvironment().run(mail, { ...notice, key: 'other-key' });
      expect(smtp.received.map((m) => m.to)).toEqual([['first@kommune.test'], ['second@kommune.test']]);
      await deactivateTeam(records.db, 'care-place');
      await expect(new MockActivityEnvironment().run(mail, { ...notice, key: 'third-key' })).rejects.toThrow(/no team address for team care-place/);
    } finally {
      await smtp.close();
      await records.close();
    }
  });
});
