import { describe, expect, it } from 'vitest';
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
});
