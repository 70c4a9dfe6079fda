import { describe, expect, it } from 'vitest';
import { upsertPartner } from '../../records';
import { fileRecords } from '../support/records';
import { shots, uiApp } from '../support/ui-app';

/** The citizen's plan as a coordinator writes it with them, in Danish, in a real browser. */
const { ui, newPage, signIn, act } = uiApp();

/** A `datetime-local` value `days` from now. */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

describe('the recovery plan in the browser', () => {
  it('a coordinator writes a goal in the citizen’s words, reviews it from its own button, and marks the case for visiting two together', async () => {
    const page = await newPage({ locale: 'da-DK', viewport: { width: 1366, height: 900 } });
    await signIn(page, 'kim', 'Log ind');
    const started = await page.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: 'ref-plan', citizenName: 'Rasmus Recovery' } });
    const { pathwayId } = await started.json();
    await page.goto(`${ui.base}/#/pathways/${pathwayId}`);
    await expect.poll(() => page.getByTestId('recovery-plan').innerText()).toContain('Ingen mål endnu');

    await act(page, 'goal.add', async (form) => {
      await form.getByLabel('Mål, med borgerens egne ord').fill('Have mit eget køkken igen');
      await form.getByLabel('Livsområde').selectOption('housing');
      await form.getByLabel('Hvem hjælper').fill('Min søster');
      await form.getByLabel('Aftalt opfølgning').fill(inDays(14));
    });
    const plan = page.getByTestId('recovery-plan');
    await expect.poll(() => plan.innerText()).toContain('“Have mit eget køkken igen”');
    expect(await plan.innerText()).toContain('Bolig');

    // The goal's own button opens its review with the goal chosen.
    await plan.getByRole('button', { name: 'Følg op på mål' }).click();
    const review = page.getByRole('form', { name: 'Følg op på mål' });
    expect(await review.locator('select[id$="-goalId"]').inputValue()).toBe('goal-1');
    await review.getByLabel('Borgerens vurdering (1–10)').fill('6');
    await review.getByLabel('Næste opfølgning').fill(inDays(42));
    await review.locator('button[type=submit]').click();
    await expect.poll(() => plan.innerText()).toContain('Borgerens vurdering: 6');

    // A review date in the past is refused in Danish, and the form stays as typed.
    await plan.getByRole('button', { name: 'Følg op på mål' }).click();
    const late = page.getByRole('form', { name: 'Følg op på mål' });
    await late.getByLabel('Borgerens vurdering (1–10)').fill('7');
    await late.getByLabel('Næste opfølgning').fill(inDays(-2));
    await late.locator('button[type=submit]').click();
    await expect.poll(() => late.getByRole('alert').innerText()).toContain('En opfølgning aftales til en dag frem i tiden');
    await late.getByRole('button', { name: 'Fortryd' }).click();

    await act(page, 'safety.set', async (form) => {
      await form.getByLabel('Bekymring').selectOption('violence-risk');
      await form.getByLabel('Forholdsregler').fill('Besøg altid to sammen');
      await form.getByLabel('Aftalt opfølgning').fill(inDays(90));
    });
    const marker = page.getByTestId('safety-marker');
    await expect.poll(() => marker.innerText()).toContain('risiko for vold: Besøg altid to sammen');
    expect(await marker.innerText()).toContain('Kim Koordinator');
    await page.screenshot({ path: `${shots}/recovery-plan-da.png`, fullPage: true });
    await page.close();
  });

  it('the team builds the citizen’s circle; the peer worker then sees the case and the plan, only with the citizen’s consent', async () => {
    await upsertPartner((await fileRecords()).db, { id: 'e2e-region', name: 'Regionspsykiatrien Vest', kind: 'region-psychiatry', contactName: 'Vagtlæge', responseDays: 14, active: true });
    const kim = await newPage({ locale: 'da-DK', viewport: { width: 1366, height: 900 } });
    await signIn(kim, 'kim', 'Log ind');
    const { pathwayId } = await (await kim.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: 'ref-circle', citizenName: 'Cirkeline Cirkel' } })).json();
    await kim.goto(`${ui.base}/#/pathways/${pathwayId}`);
    await act(kim, 'network.add', async (form) => {
      await form.getByLabel('Navn').fill('Anna Andersen');
      await form.getByLabel('Tilknytning').selectOption('relative');
    });
    await act(kim, 'goal.add', async (form) => {
      await form.getByLabel('Mål, med borgerens egne ord').fill('Gå til fodbold igen');
      await form.getByLabel('Livsområde').selectOption('network');
      await form.getByLabel('Aftalt opfølgning').fill(inDays(20));
    });
    // Consent for one named peer worker, picked by name; then the team attaches them.
    await act(kim, 'consent.record', async (form) => {
      await form.getByLabel('Samtykke givet').check();
      await form.getByLabel('Deling med').selectOption('peer');
      await form.getByLabel('Modtager').selectOption({ label: 'Per Peer' });
    });
    await act(kim, 'peer.attach', async (form) => {
      await form.getByLabel('Peer', { exact: false }).selectOption({ label: 'Per Peer' });
    });
    const circle = kim.getByTestId('circle');
    await expect.poll(() => circle.innerText()).toContain('Per Peer · har adgang med borgerens samtykke');
    // A request to a registered partner carries the partner's agreed 14 days, whatever the form said.
    await act(kim, 'consent.record', async (form) => {
      await form.getByLabel('Samtykke givet').check();
      await form.getByLabel('Deling med').selectOption('partner');
      await form.getByLabel('Modtager').selectOption({ label: 'Regionspsykiatrien Vest' });
    });
    await act(kim, 'partner.request', async (form) => {
      await form.getByLabel('Samarbejdspartner').selectOption({ label: 'Regionspsykiatrien Vest' });
      await form.getByLabel('Henvendelse', { exact: false }).first().fill('Vurdering af medicin');
      await form.getByLabel('Svarfrist (dage)').fill('2');
    });
    await expect.poll(() => circle.innerText()).toContain('Regionspsykiatrien Vest: Vurdering af medicin · svar senest');
    expect(await circle.innerText()).toContain('om 14 dage');
    await kim.screenshot({ path: `${shots}/circle-da.png`, fullPage: true });

    // The peer worker's own list and case: the plan, but no network, partners or other actions.
    const per = await newPage({ locale: 'da-DK', viewport: { width: 1366, height: 900 } });
    await signIn(per, 'per', 'Log ind');
    await expect.poll(async () => (await per.reload(), per.locator('main').innerText()), { timeout: 20_000 }).toContain('Cirkeline Cirkel');
    await per.goto(`${ui.base}/#/pathways/${pathwayId}`);
    await expect.poll(() => per.getByTestId('recovery-plan').innerText()).toContain('Gå til fodbold igen');
    expect(await per.getByTestId('circle').count()).toBe(0);
    expect(await per.locator('main').innerText()).not.toMatch(/Partner|Psykiatriske indlæggelser|Anna Andersen/);
    expect(await per.locator('.actions button').allInnerTexts()).toEqual(['Registrér kontakt']);
    await per.screenshot({ path: `${shots}/peer-case-da.png`, fullPage: true });

    // The citizen withdraws the consent: the peer worker's next look finds nothing.
    await act(kim, 'consent.record', async (form) => {
      await form.getByLabel('Deling med').selectOption('peer');
      await form.getByLabel('Modtager').selectOption({ label: 'Per Peer' });
    });
    await per.reload();
    await expect.poll(() => per.locator('main').innerText()).toMatch(/findes ikke|ikke fundet/i);
    await kim.close();
    await per.close();
  });
});
