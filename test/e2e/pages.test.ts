import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { upsertPartner } from '../../records';
import { axeViolations } from '../support/axe';
import { fileRecords } from '../support/records';
import { shots, uiApp } from '../support/ui-app';

/**
 * Every page in both languages, as each role reaches it, at desktop size: axe-core finds no
 * WCAG 2.1 AA violation, a screenshot is kept, and no English the server sent shows in Danish.
 */
const { ui, newPage, signIn, send, intoStay } = uiApp();

/** Who opens which pages (hash routes; `{id}`: a pathway in a stay with an extension asked, a reviewed goal, a safety marker, a network, a peer worker and a partner request). */
const tour: Record<string, string[]> = {
  kim: [
    '/', '/inbox', '/start', '/stuck', '/facilities', '/team', '/pathways/{id}', '/pathways/{id}/act/note.add', '/pathways/{id}/act/goal.review',
    '/pathways/00000000-0000-4000-8000-000000000000',
  ],
  lea: ['/inbox', '/pathways/{id}/act/extension.approve', '/pathways/{id}/access-log'],
  per: ['/', '/pathways/{id}'],
  pia: ['/access-log'],
  ada: ['/admin'],
};

/** The tour's pathway, made by the first test that needs it (expect.poll runs only inside a test). */
let made: Promise<string> | undefined;
const tourPathway = () => (made ??= makePathway());
async function makePathway(): Promise<string> {
  await upsertPartner((await fileRecords()).db, { id: 'e2e-pages-region', name: 'Region West', kind: 'region-psychiatry', contactName: 'Duty doctor', responseDays: 10, active: true });
  const kim = await newPage({ locale: 'en-GB' });
  await signIn(kim, 'kim');
  const pathwayId = await intoStay(kim, 'e2e-pages', 'Pernille Sidetur');
  const { view } = await (await kim.request.get(`${ui.base}/api/pathways/${pathwayId}`)).json();
  const soon = Date.now() + 20 * 86_400_000;
  await send(
    kim,
    pathwayId,
    [
      { type: 'note.add', text: 'coffee at the shelter' },
      { type: 'extension.request', days: 14, reason: 'flat ready in March' },
      { type: 'goal.add', goal: 'cook dinner for my son', area: 'daily-life', helpers: 'the peer worker', reviewAt: soon },
      { type: 'goal.review', goalId: 'goal-1', rating: 5, note: 'twice this month', nextReviewAt: soon },
      { type: 'safety.set', concern: 'threats', precautions: 'visit two together', reviewAt: soon },
      { type: 'admissions.before', count: 2, days: 17 },
      { type: 'network.add', name: 'Anna Andersen', relation: 'relative', phone: '+45 12 34 56 78' },
      { type: 'consent.record', given: true, scope: 'relative', recipient: 'contact-1' },
      { type: 'consent.record', given: true, scope: 'peer', recipient: 'per' },
      { type: 'peer.attach', peer: 'per' },
      { type: 'consent.record', given: true, scope: 'partner', recipient: 'e2e-pages-region' },
      { type: 'partner.request', partnerId: 'e2e-pages-region', request: 'a medication review', responseDays: 10 },
    ],
    view.version,
  );
  await kim.close();
  return pathwayId;
}

/** English the server put in its answers: error reasons and the reasons of unavailable actions. */
function collectEnglish(page: Page, into: Set<string>) {
  page.on('response', async (res) => {
    if (!res.url().includes('/api/') || !(res.headers()['content-type'] ?? '').includes('json')) return;
    const body = (await res.json().catch(() => null)) as { error?: string; view?: { actions?: { reason?: string }[] } } | null;
    if (res.status() >= 400 && body?.error) into.add(body.error);
    for (const a of body?.view?.actions ?? []) if (a.reason) into.add(a.reason);
  });
}

/** Waits until the page shows its heading and has stopped loading. */
async function settled(page: Page) {
  await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBeGreaterThan(0);
  await expect.poll(() => page.locator('main').innerText()).not.toMatch(/Loading…|Henter…/);
}

describe('every page', () => {
  for (const [lang, locale] of [['da', 'da-DK'], ['en', 'en-GB']] as const) {
    it(`in ${lang === 'da' ? 'Danish' : 'English'}: no accessibility violation, a screenshot each${lang === 'da' ? ', no English from the server' : ''}`, async () => {
      const pathwayId = await tourPathway();
      const violations: string[] = [];
      const english = new Set<string>();
      const leaks: string[] = [];
      const visit = async (page: Page, label: string) => {
        await settled(page);
        await page.screenshot({ path: `${shots}/page-${lang}-${label}.png`, fullPage: true });
        violations.push(...(await axeViolations(page)).map((v) => `${label}: ${v}`));
        if (lang === 'da') {
          const text = await page.locator('body').innerText();
          leaks.push(...[...english].filter((e) => text.includes(e)).map((e) => `${label}: ${e}`));
        }
      };
      const signInPage = await newPage({ locale, viewport: { width: 1366, height: 900 } });
      await signInPage.goto(ui.base);
      await visit(signInPage, 'sign-in');
      await signInPage.close();
      for (const [who, routes] of Object.entries(tour)) {
        const page = await newPage({ locale, viewport: { width: 1366, height: 900 } });
        collectEnglish(page, english);
        await signIn(page, who, lang === 'da' ? 'Log ind' : 'Sign in');
        for (const route of routes) {
          await page.goto(`${ui.base}/#${route.replace('{id}', pathwayId)}`);
          await page.reload(); // only the hash may have changed: load the page afresh
          await visit(page, `${who}${route.replace('{id}', 'pathway').replace(/[/.]/g, '-').replace(/-0{8}-[0-9-]+$/, '-unknown')}`);
        }
        await page.close();
      }
      expect(violations).toEqual([]);
      expect(leaks).toEqual([]);
      if (lang === 'da') expect(english.size, 'the tour met English server texts to look for').toBeGreaterThan(0);
    });
  }
});
