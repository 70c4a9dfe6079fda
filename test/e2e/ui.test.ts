import { expect, it, describe } from 'vitest';
import { viewOf } from '../../machines';
import { outreachWorker } from '../support/actors';
import { Pathway } from '../support/pathway';
import { shots, uiApp } from '../support/ui-app';

const { ui, newPage, signIn, act, send, intoStay } = uiApp();

describe('the web UI in Chromium', () => {
  it('lets a coordinator start a pathway, carry it into a stay and see the deadline', async () => {
    const page = await newPage({ locale: 'en-GB' });
    await signIn(page, 'kim');
    await page.getByRole('link', { name: 'Start a pathway' }).click();
    await page.getByLabel(/Citizen’s name/).fill('Jens Testesen');
    await page.getByLabel(/Citizen reference/).fill('ref-e2e-1');
    await page.screenshot({ path: `${shots}/start.png`, fullPage: true });
    await page.getByRole('button', { name: 'Create' }).click();
    // Staff see the name where they need it, and the URL carries only the opaque id.
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Jens Testesen #/);
    expect(page.url()).not.toMatch(/Jens|Testesen|ref-e2e-1/);
    await expect.poll(() => page.getByTestId('stage').textContent()).toBe('Outreach · ref-e2e-1');
    // What the referral waits for is said up front.
    expect(await page.getByTestId('unavailable').textContent()).toMatch(/Refer to assessment: The citizen has not consented/);
    await page.screenshot({ path: `${shots}/pathway-outreach.png`, fullPage: true });

    await act(page, 'consent.record', (f) => f.getByLabel('Consent given').check());
    // Said in a live region that takes the focus; every page has a title of its own.
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Done: Record consent');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Done: Record consent');
    expect(await page.title()).toBe('Jens Testesen · Pathways');
    // A contact from last night, written up now: dated back, with several lines of note.
    const lastNight = new Date(Date.now() - 12 * 3_600_000);
    const local = new Date(lastNight.getTime() - lastNight.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await act(page, 'contact.log', async (f) => {
      await f.getByLabel(/Outcome/).selectOption('reached');
      await f.getByLabel(/When, if earlier than now/).fill(local);
      await f.getByLabel(/Note/).fill('met at the shelter\nwill come back Friday');
    });
    await expect.poll(() => page.getByRole('row', { name: /Log contact Outcome: reached · When, if earlier than now: \d/ }).count()).toBe(1);
    // The trail reads in words, with people and teams by name and the note itself.
    await act(page, 'note.add', (f) => f.getByLabel(/Text/).fill('slept at the station'));
    await expect.poll(() => page.getByRole('row', { name: /Kim Koordinator \(coordinator\) Add note slept at the station/ }).count()).toBe(1);
    expect(await page.getByRole('row', { name: /Pathway started Team: Team outreach/ }).count()).toBe(1);
    await act(page, 'referral.request');
    await act(page, 'handoff.accept');
    await act(page, 'assessment.outcome', async (f) => void (await f.getByLabel(/Outcome/).selectOption('care-place')));
    await act(page, 'handoff.accept');
    // Waiting for a place but on no waitlist yet: the board says so, and one click opens the form to join one.
    await page.getByRole('link', { name: 'Care places' }).click();
    await page.getByRole('region', { name: /Waiting for a place, on no waitlist/ }).getByRole('link', { name: 'Jens Testesen' }).click();
    const join = page.getByRole('form', { name: 'Join waitlist' });
    await expect.poll(() => join.getByLabel(/Facility/).locator('option').count()).toBeGreaterThan(1);
    await join.getByLabel(/Facility/).selectOption('skovvang');
    await join.locator('button[type=submit]').click();
    // The facility grants the place; the page follows by polling.
    await expect.poll(() => page.getByTestId('stage').textContent(), { timeout: 15_000 }).toMatch(/^Care-place stay/);
    await expect.poll(() => page.getByTestId('stay-ends').textContent()).toMatch(/\(in 56 days\) · Day 1$/);
    await page.screenshot({ path: `${shots}/pathway-stay.png`, fullPage: true });

    await page.getByRole('link', { name: 'Care places' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toMatch(/skovvang · Places: 1\/2/);
    // One click shows who is in each place, their coordinator, the day of the stay and the planned discharge.
    expect(await page.getByRole('row', { name: /^Jens Testesen Kim Koordinator day 1 of 56 \d/ }).count()).toBe(1);
    await page.screenshot({ path: `${shots}/facilities.png`, fullPage: true });
    await page.getByRole('link', { name: 'My caseload' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Jens Testesen' }).count()).toBe(1);
    // Searched by name or reference, filtered to mine, in a stage.
    await page.getByLabel('Search name or reference').fill('ref-e2e-1');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await page.getByLabel('Mine only').check();
    await page.getByLabel('Stage', { exact: true }).selectOption('stay');
    await expect.poll(() => page.getByRole('row', { name: /^Jens Testesen .*Care-place stay .*Kim Koordinator/ }).count()).toBe(1);
    await page.getByLabel('Stage', { exact: true }).selectOption('outreach');
    await expect.poll(() => page.getByText('Nothing to show').count()).toBe(1);
    await page.getByLabel('Stage', { exact: true }).selectOption('');
    await page.getByLabel('Search name or reference').fill('');
    await page.screenshot({ path: `${shots}/caseload.png`, fullPage: true });

    await page.getByRole('link', { name: 'Team overview' }).click();
    const stays = page.getByRole('region', { name: 'Stays against the limit' });
    await expect.poll(() => stays.locator('li').first().textContent()).toMatch(/skovvang.*Day 1 \/ 56$/);
    const funnel = page.getByRole('region', { name: 'Pathways by stage' });
    await expect.poll(() => funnel.locator('li', { hasText: 'Care-place stay' }).textContent()).toMatch(/1$/);
    await page.screenshot({ path: `${shots}/team.png`, fullPage: true });
  });

  it('lets a supervisor find a stuck case and approve an extension', async () => {
    const kim = await newPage({ locale: 'en-GB' });
    await signIn(kim, 'kim');
    const pathwayId = await intoStay(kim, 'e2e-extension', 'Erik Extension');
    await kim.goto(`${ui.base}/#/pathways/${pathwayId}`);
    await kim.reload();
    await act(kim, 'extension.request', async (f) => {
      await f.getByLabel(/Days/).fill('14');
      await f.getByLabel(/Reason/).fill('flat ready in March');
    });

    const lea = await newPage({ locale: 'en-GB' });
    await signIn(lea, 'lea');
    await lea.goto(`${ui.base}/#/stuck`);
    const group = lea.getByRole('region', { name: 'Extension requested' });
    await expect.poll(() => group.locator('tbody tr').count(), { timeout: 15_000 }).toBe(1);
    // Who, how long, and the decision it waits for, one click away.
    const row = group.locator('tbody tr');
    expect(await row.getByRole('cell').allTextContents()).toEqual(['Erik Extension', 'Care-place stay', 'Team care-place', 'Kim Koordinator', '0 days', expect.stringMatching(/^Reminder: /), 'Approve extension']);
    expect(await row.getByRole('link', { name: 'Approve extension' }).getAttribute('href')).toBe(`#/pathways/${pathwayId}/act/extension.approve`);
    await lea.screenshot({ path: `${shots}/stuck.png`, fullPage: true });

    // From the start page, three clicks: her inbox, the request (its form opens with what it rests on), the decision.
    await lea.goto(ui.base);
    await expect.poll(() => lea.getByRole('link', { name: 'Needs me (1)' }).count(), { timeout: 20_000 }).toBe(1);
    await lea.getByRole('link', { name: 'Needs me (1)' }).click(); // 1
    await lea.getByRole('link', { name: /^Extension to decide/ }).click(); // 2
    await expect.poll(() => lea.getByTestId('extension-basis').textContent()).toMatch(/14 days, asked by Kim Koordinator.*flat ready in March/);
    const form = lea.getByRole('form').last();
    expect(await form.getByLabel(/Days/).inputValue()).toBe('14'); // the days asked for, shown rather than implied
    await expect.poll(() => lea.getByTestId('extension-effect').textContent()).toMatch(/^The stay ends .+\. No one on the waitlist for e2e-extension waits longer\.$/);
    await form.getByLabel(/Reason/).fill('agreed at the team meeting');
    await lea.screenshot({ path: `${shots}/extension-decision.png`, fullPage: true });
    await form.getByRole('button', { name: 'Approve extension' }).click(); // 3
    await expect.poll(() => lea.getByTestId('stay-ends').textContent()).toMatch(/in 70 days/);

    // Who read and acted on the case: the supervisor's access-log page.
    await lea.getByRole('link', { name: 'Access log' }).click();
    await expect.poll(() => lea.getByText('Action: Approve extension').count()).toBe(1);
    expect(await lea.getByRole('cell', { name: 'kim (coordinator, outreach, psychiatry-liaison, care-place, housing-support)' }).count()).toBeGreaterThan(0);
    expect(await lea.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(`/api/pathways/${pathwayId}/access-log.csv`);
    await lea.screenshot({ path: `${shots}/access-log.png`, fullPage: true });
  });

  it('brings an incoming handoff to the receiving coordinator’s inbox, accepted in three clicks with what it rests on', async () => {
    const kim = await newPage({ locale: 'en-GB' });
    await signIn(kim, 'kim');
    const started = await kim.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: 'ref-inbox', citizenName: 'Ida Indbakke', team: 'outreach' } });
    const { pathwayId } = await started.json();
    await send(kim, pathwayId, [{ type: 'consent.record', given: true }, { type: 'referral.request', note: 'sleeps at the harbour, knows the night staff' }]);

    const bo = await newPage({ locale: 'en-GB' });
    await signIn(bo, 'bo');
    await expect.poll(() => bo.getByRole('link', { name: 'Needs me (1)' }).count(), { timeout: 20_000 }).toBe(1);
    await bo.getByRole('link', { name: 'Needs me (1)' }).click(); // 1
    await bo.getByRole('link', { name: 'Handoff to your team: Ida Indbakke' }).click(); // 2
    const basis = bo.getByTestId('handoff-basis');
    await expect.poll(() => basis.textContent()).toMatch(/Team outreach · Kim Koordinator/);
    expect(await basis.textContent()).toMatch(/sleeps at the harbour, knows the night staff/);
    expect(await basis.textContent()).toMatch(/Consent.*Given/);
    await bo.screenshot({ path: `${shots}/handoff-decision.png`, fullPage: true });
    await bo.getByRole('form').last().getByRole('button', { name: 'Accept handoff' }).click(); // 3
    await expect.poll(() => bo.getByTestId('stage').textContent()).toMatch(/^Assessment/);
    await bo.goto(`${ui.base}/#/inbox`);
    await expect.poll(() => bo.getByText('Nothing waits for you').count()).toBe(1);
  });

  it('asks before an action that cannot be undone, with a summary of it', async () => {
    const page = await newPage({ locale: 'en-GB' });
    await signIn(page, 'kim');
    const { pathwayId } = await (await page.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: 'ref-close', citizenName: 'Carl Close' } })).json();
    await page.goto(`${ui.base}/#/pathways/${pathwayId}`);
    await page.locator('button[data-action="pathway.close"]').click();
    const form = page.getByRole('form', { name: 'Close pathway' });
    expect(await page.evaluate('document.activeElement?.id')).toBe('field-pathway.close-reason'); // focus moved into the form
    await form.getByLabel(/Reason/).selectOption('moved');
    await form.getByRole('button', { name: 'Close pathway' }).click();
    await expect.poll(() => form.getByRole('heading').textContent()).toBe('Close pathway: are you sure?');
    expect(await form.locator('dl').textContent()).toMatch(/Reason\s*moved/);
    await page.screenshot({ path: `${shots}/confirm-close.png`, fullPage: true });
    // Going back keeps what was chosen; confirming closes.
    await form.getByRole('button', { name: 'Go back' }).click();
    expect(await form.getByLabel(/Reason/).inputValue()).toBe('moved');
    await form.getByRole('button', { name: 'Close pathway' }).click();
    await form.getByRole('button', { name: 'Yes: Close pathway' }).click();
    await expect.poll(async () => (await (await page.request.get(`${ui.base}/api/pathways/${pathwayId}`)).json()).view?.stage).toBe('closed');
  });

  it('keeps the page and a half-written note when a refresh fails, says so, and recovers', async () => {
    const page = await newPage({ locale: 'en-GB' });
    await signIn(page, 'kim');
    const { pathwayId } = await (await page.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: 'ref-refresh' } })).json();
    await page.goto(`${ui.base}/#/pathways/${pathwayId}`);
    await page.locator('button[data-action="note.add"]').click();
    const text = page.getByRole('form', { name: 'Add note' }).getByLabel(/Text/);
    await text.fill('half-written: met her at');
    // The proxy fails every refresh from now on (a 502 with an HTML body, as nginx sends).
    await page.route(`**/api/pathways/${pathwayId}?after=*`, (r) => r.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad Gateway</h1>' }));
    const res = await page.request.post(`${ui.base}/api/pathways/${pathwayId}/events`, { data: { command: { type: 'contact.log', outcome: 'reached' }, expectedVersion: 1, requestId: `refresh-${pathwayId}` } });
    expect(res.status()).toBe(200);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 30_000 }).toMatch(/could not be refreshed/);
    expect(await text.inputValue()).toBe('half-written: met her at');
    expect(await page.content()).not.toMatch(/Bad Gateway/);
    await page.unroute(`**/api/pathways/${pathwayId}?after=*`);
    await expect.poll(() => page.getByRole('alert').count(), { timeout: 30_000 }).toBe(0);
    expect(await text.inputValue()).toBe('half-written: met her at');
  });

  it('offers “reload and keep my text” when the pathway changed while a note was being written', async () => {
    const page = await newPage({ locale: 'en-GB' });
    await signIn(page, 'kim');
    const { pathwayId } = await (await page.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: 'ref-stale', citizenName: 'Stine Samtidig' } })).json();
    await page.goto(`${ui.base}/#/pathways/${pathwayId}`);
    await page.locator('button[data-action="note.add"]').click();
    const form = page.getByRole('form', { name: 'Add note' });
    await form.getByLabel(/Text/).fill('long note, line one\nline two');
    // A colleague logs a contact meanwhile; this page does not hear of it (its follow-up requests are held).
    await page.route(`**/api/pathways/${pathwayId}?after=*`, () => {});
    await send(page, pathwayId, [{ type: 'contact.log', outcome: 'reached' }]);
    await form.locator('button[type=submit]').click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/changed meanwhile/);
    await page.unroute(`**/api/pathways/${pathwayId}?after=*`);
    await form.getByRole('button', { name: 'Reload and keep my text' }).click();
    await expect.poll(() => form.getByRole('alert').count()).toBe(0);
    expect(await form.getByLabel(/Text/).inputValue()).toBe('long note, line one\nline two');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Done: Add note');
    const { view } = await (await page.request.get(`${ui.base}/api/pathways/${pathwayId}`)).json();
    expect(view.version).toBe(3);
  });

  it('lets a supervisor reassign chosen pathways together, saying what the engine refused for each', async () => {
    const kim = await newPage({ locale: 'en-GB' });
    await signIn(kim, 'kim');
    for (const citizenName of ['Bent Bulk', 'Birthe Bulk']) {
      const res = await kim.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: `ref-${citizenName.split(' ')[0]}`, citizenName, team: 'care-place' } });
      expect(res.status()).toBe(201);
    }
    const lea = await newPage({ locale: 'en-GB' });
    await signIn(lea, 'lea');
    const assign = async () => {
      await lea.getByRole('checkbox', { name: 'Choose: Bent Bulk' }).check();
      await lea.getByRole('checkbox', { name: 'Choose: Birthe Bulk' }).check();
      const form = lea.getByRole('form', { name: 'Reassign 2 chosen pathways' });
      // Only coordinators of her teams are offered.
      expect(await form.getByLabel(/Coordinator/).locator('option').allTextContents()).toEqual(['—', 'Kim Koordinator']);
      await form.getByLabel(/Coordinator/).selectOption('kim');
      await form.getByRole('button', { name: 'Assign coordinator (2)' }).click();
      await expect.poll(() => lea.getByTestId('bulk-outcome').count()).toBe(1);
      return lea.getByTestId('bulk-outcome').innerText();
    };
    await expect.poll(() => lea.getByRole('checkbox', { name: 'Choose: Birthe Bulk' }).count()).toBe(1);
    expect(await assign()).toMatch(/^2 of 2 done\.$/);
    await expect.poll(() => lea.getByRole('row', { name: /Bent Bulk/ }).getByRole('cell').nth(4).textContent()).toBe('Kim Koordinator');
    await lea.screenshot({ path: `${shots}/bulk-reassign.png`, fullPage: true });
    // The same again: each pathway refuses, and says why.
    await lea.reload();
    expect(await assign()).toMatch(/^0 of 2 done\.\n+Bent Bulk: Kim Koordinator is already the coordinator\nBirthe Bulk: Kim Koordinator is already the coordinator$/);
  });

  it('brings the sign-in form back when the session ends, and returns to the same page after it', async () => {
    const page = await newPage({ locale: 'en-GB' });
    await signIn(page, 'kim');
    const { pathwayId } = await (await page.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: 'ref-session', citizenName: 'Sara Session' } })).json();
    await page.goto(`${ui.base}/#/pathways/${pathwayId}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Sara Session/);
    await page.request.delete(`${ui.base}/api/session`); // the browser's session ends (as after the idle timeout)
    await page.locator('button[data-action="note.add"]').click();
    await page.getByRole('form', { name: 'Add note' }).getByLabel(/Text/).fill('after the session ended');
    await page.getByRole('form', { name: 'Add note' }).locator('button[type=submit]').click();
    await expect.poll(() => page.getByLabel('Staff id').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await page.getByLabel('Staff id').fill('kim');
    await page.getByLabel('Password').fill('kim-secret-1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^Sara Session/);
    expect(page.url()).toContain(`#/pathways/${pathwayId}`);
  });

  it('offers the privacy officer the access log and its chain check, and no case', async () => {
    const pia = await newPage({ locale: 'en-GB' });
    await signIn(pia, 'pia');
    await expect.poll(() => pia.getByRole('heading', { level: 1 }).textContent()).toBe('Access log');
    expect(await pia.getByRole('navigation').getByRole('link').allTextContents()).toEqual(['Access log']);
    await pia.getByLabel('Staff id').fill('kim');
    await pia.getByRole('button', { name: 'Show' }).nth(1).click();
    await expect.poll(() => pia.getByRole('cell', { name: /^kim \(coordinator/ }).count()).toBeGreaterThan(0);
    await pia.getByRole('button', { name: 'Check the log’s chain' }).click();
    await expect.poll(() => pia.getByRole('status').textContent()).toBe('The chain is intact');
    await pia.screenshot({ path: `${shots}/access-log-privacy-officer.png`, fullPage: true });
  });

  it('fits a phone: no page scrolls sideways at 390 px, and the navigation folds behind a menu button', async () => {
    const page = await newPage({ locale: 'da-DK', viewport: { width: 390, height: 844 } });
    await page.goto(ui.base);
    await page.getByLabel(/Medarbejder-id/).fill('kim');
    await page.getByLabel(/Adgangskode/).fill('kim-secret-1');
    await page.getByRole('button', { name: 'Log ind' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Menu' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Omsorgspladser' }).isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Omsorgspladser' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Omsorgspladser');
    const { pathwayId } = await (await page.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: 'ref-phone', citizenName: 'Frederikke Mobiltelefonsen' } })).json();
    const wide: string[] = [];
    for (const route of ['/', '/inbox', '/start', '/stuck', '/facilities', '/team', `/pathways/${pathwayId}`]) {
      await page.goto(`${ui.base}/#${route}`);
      await page.waitForLoadState('networkidle');
      await expect.poll(() => page.getByRole('heading', { level: 1 }).count()).toBeGreaterThan(0);
      const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
      await page.screenshot({ path: `${shots}/phone-da${route.replace(/[/]/g, '-').replace(/-[0-9a-f-]{36}$/, '')}.png`, fullPage: true });
      if (width > 390) wide.push(`${route}: ${width} px`);
    }
    expect(wide).toEqual([]);
  });

  it('speaks Danish to a Danish browser', async () => {
    const page = await newPage({ locale: 'da-DK' });
    await page.goto(ui.base);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Log ind');
    expect(await page.getAttribute('html', 'lang')).toBe('da');
    await page.screenshot({ path: `${shots}/sign-in-da.png` });
    await signIn(page, 'kim', 'Log ind');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Mine forløb');
  });

  it('never offers an action the engine would refuse', async () => {
    // For a set of states, the buttons on the page are exactly the actions the engine allows.
    const page = await newPage({ locale: 'en-GB' });
    await signIn(page, 'kim');
    const started = await page.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: 'ref-buttons' } });
    expect(started.status()).toBe(201);
    const { pathwayId } = await started.json();
    const kim = { id: 'kim', role: 'coordinator' as const, teams: ['outreach', 'psychiatry-liaison', 'care-place', 'housing-support'] };
    const steps: [string, object][] = [
      ['consent.record', { given: true }],
      ['referral.request', {}],
      ['handoff.accept', {}],
    ];
    let version = 1;
    for (let i = 0; i <= steps.length; i++) {
      await page.goto(`${ui.base}/#/pathways/${pathwayId}`);
      await page.reload(); // only the hash changed: load the page afresh
      const { view } = await (await page.request.get(`${ui.base}/api/pathways/${pathwayId}`)).json();
      await expect.poll(async () => (await page.locator('button[data-action]').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-action')))).sort()).toEqual(
        view.actions.filter((a: { available: boolean }) => a.available).map((a: { type: string }) => a.type).sort(),
      );
      const step = steps[i];
      if (!step) break;
      version = await send(page, pathwayId, [{ type: step[0], ...step[1] }], version);
    }
    // And the served view is the pure machine's view for the same actor and state.
    const local = Pathway.start({ by: outreachWorker })
      .send(kim, { type: 'consent.record', given: true })
      .send(kim, { type: 'referral.request' })
      .send(kim, { type: 'handoff.accept' });
    const { view } = await (await page.request.get(`${ui.base}/api/pathways/${pathwayId}`)).json();
    expect(view.actions).toEqual(viewOf(local.snapshot, kim).actions);
  });
});
