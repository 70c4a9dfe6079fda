import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { fileRecords } from '../support/records';
import { buildApp } from '../../ui/server/app';
import { loadOidcSettings } from '../../ui/server/oidc-settings';
import { launchChromium } from '../support/browser';
import { freePort } from '../support/net';
import { startOidcProvider, type TestProvider } from '../support/oidc-provider';
import { devServer, taskQueue } from '../support/temporal';

let env: TestWorkflowEnvironment;
let provider: TestProvider;
let app: FastifyInstance;
let browser: Browser;
let base: string;

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const client = { clientSecret: 'a-client-secret-of-thirty-two-chars', redirectUri: `${base}/api/oidc/callback`, postLogoutRedirectUri: `${base}/` };
  provider = await startOidcProvider([{ clientId: 'care-web', ...client }, { clientId: 'other-app', ...client }], {
    anna: { name: 'Anna Andersen', groups: ['grp-coordinators', 'team-outreach', 'team-housing', 'grp-unrelated'] },
    lars: { name: 'Lars Larsen', groups: ['grp-coordinators', 'grp-supervisors', 'team-care'] },
    ole: { name: 'Ole Olsen', groups: ['grp-unrelated', 'team-outreach'] },
  });
  // Configured as an operator would: through the environment.
  const oidc = loadOidcSettings({
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: 'care-web',
    OIDC_CLIENT_SECRET: client.clientSecret,
    OIDC_REDIRECT_URI: client.redirectUri,
    OIDC_SCOPES: 'openid profile groups',
    OIDC_PROVIDER_NAME: 'Test IdP',
    OIDC_ROLE_MAP: '{"grp-coordinators":"coordinator","grp-supervisors":"supervisor"}',
    OIDC_TEAM_MAP: '{"team-outreach":"outreach","team-housing":"housing-support","team-care":"care-place"}',
  });
  env = await devServer();
  app = await buildApp({
    records: await fileRecords(), client: env.client, taskQueue: taskQueue(), accounts: [], sessionSecret: 'oidc-secret-oidc-secret-oidc-sec!', webRoot: inject('webRoot'), ...(oidc ? { oidc } : {}) });
  await app.listen({ port, host: '127.0.0.1' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await provider?.close();
  await env?.teardown();
});

afterEach(() => {
  delete provider.faults.audience;
  delete provider.faults.expiredBySeconds;
});

/** A fresh browser that reaches nothing but loopback (the provider's pages link a web font). */
async function freshPage(locale = 'en-GB'): Promise<Page> {
  const context = await browser.newContext({ locale });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  return context.newPage();
}

/** At the provider: its login page (any password for a known login), then its consent page. */
async function atProvider(page: Page, login: string) {
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * Signs in at the provider's login page, then confirms its consent form with the browser's own
 * cookies but follows the redirects by hand (a browser's redirects cannot be stopped), so the
 * callback URL comes back unused.
 */
async function callbackOf(page: Page, login: string): Promise<URL> {
  await page.goto(`${base}/api/oidc/login`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any-password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).waitFor();
  const action = new URL((await page.locator('form').getAttribute('action'))!, page.url());
  let res = await page.request.post(action.href, { form: { prompt: 'consent' }, maxRedirects: 0 });
  for (let hops = 0; hops < 5; hops++) {
    const next = new URL(res.headers().location ?? '', res.url());
    if (next.href.startsWith(`${base}/api/oidc/callback?`)) return next;
    res = await page.request.get(next.href, { maxRedirects: 0 });
  }
  throw new Error(`the provider did not send the browser back: ${res.status()} ${res.url()}`);
}

const get = (context: BrowserContext, url: URL | string) => context.request.get(url.toString(), { maxRedirects: 0 });

describe('sign-in through an OpenID provider, in Chromium', () => {
  it('signs a coordinator in through the provider’s pages with role and teams from groups, and signs out there too', async () => {
    const page = await freshPage();
    await page.goto(base);
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await atProvider(page, 'anna');
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(await page.locator('.who span').textContent()).toBe('Anna Andersen');
    const me = await (await page.request.get(`${base}/api/session`)).json();
    expect(me).toMatchObject({ id: 'anna', name: 'Anna Andersen', role: 'coordinator', teams: ['outreach', 'housing-support'] });

    await page.getByRole('button', { name: 'Sign out' }).click();
    // RP-initiated logout: the provider asks, then sends the browser back to the sign-in page.
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await expect.poll(() => page.url()).toBe(`${base}/`);
    await expect.poll(() => page.getByRole('link', { name: 'Sign in with Test IdP' }).count()).toBe(1);
    expect((await page.request.get(`${base}/api/session`)).status()).toBe(401);
    // The provider's session ended as well: signing in again asks for the login.
    await page.getByRole('link', { name: 'Sign in with Test IdP' }).click();
    await expect.poll(() => page.locator('input[name="login"]').count()).toBe(1);
  });

  it('gives the strongest mapped role (supervisor) and shows the Danish button', async () => {
    const page = await freshPage('da-DK');
    await page.goto(base);
    await page.getByRole('link', { name: 'Log ind med Test IdP' }).click();
    await atProvider(page, 'lars');
    await expect.poll(() => page.getByRole('button', { name: 'Log ud' }).count()).toBe(1);
    const me = await (await page.request.get(`${base}/api/session`)).json();
    expect(me).toMatchObject({ id: 'lars', role: 'supervisor', teams: ['care-place'] });
  });

  it('refuses a person none of whose groups gives a role with 403 forbidden, and starts no session', async () => {
    const page = await freshPage();
    const callback = await callbackOf(page, 'ole');
    const res = await get(page.context(), callback);
    expect(res.status()).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'forbidden' });
    expect((await page.request.get(`${base}/api/session`)).status()).toBe(401);
  });

  it('takes the untouched callback once, and never again (the login state is used up)', async () => {
    const page = await freshPage();
    const callback = await callbackOf(page, 'anna');
    const first = await get(page.context(), callback);
    expect(first.status()).toBe(302);
    expect(first.headers().location).toBe('/');
    expect((await page.request.get(`${base}/api/session`)).status()).toBe(200);
    const again = await get(page.context(), callback);
    expect(again.status()).toBe(400);
    expect(await again.json()).toMatchObject({ code: 'invalid-request', params: { field: 'state' } });
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const page = await freshPage();
    const callback = await callbackOf(page, 'anna');
    callback.searchParams.set('state', 'forged-state-from-another-browser');
    const res = await get(page.context(), callback);
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'wrong-credentials', error: expect.stringMatching(/state/) });
    expect((await page.request.get(`${base}/api/session`)).status()).toBe(401);
  });

  it('refuses a callback in a browser that started no sign-in', async () => {
    const page = await freshPage();
    const callback = await callbackOf(page, 'anna');
    const other = await freshPage();
    const res = await get(other.context(), callback);
    expect(res.status()).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'invalid-request', params: { field: 'state' } });
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const page = await freshPage();
    const callback = await callbackOf(page, 'anna');
    // Rewrite the login cookie's nonce, signed as the server would: state and PKCE still match.
    const [cookie] = (await page.context().cookies(callback.href)).filter((c) => c.name === 'oidc_login');
    const login = JSON.parse(app.unsignCookie(decodeURIComponent(cookie!.value)).value!);
    const forged = app.signCookie(JSON.stringify({ ...login, nonce: 'a-nonce-this-sign-in-never-sent' }));
    await page.context().addCookies([{ ...cookie!, value: encodeURIComponent(forged) }]);
    const res = await get(page.context(), callback);
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'wrong-credentials', error: expect.stringMatching(/nonce/) });
    expect((await page.request.get(`${base}/api/session`)).status()).toBe(401);
  });

  it('refuses an ID token issued for another client (wrong audience)', async () => {
    const page = await freshPage();
    const callback = await callbackOf(page, 'anna');
    provider.faults.audience = 'other-app';
    const res = await get(page.context(), callback);
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'wrong-credentials', error: expect.stringMatching(/aud/) });
    expect((await page.request.get(`${base}/api/session`)).status()).toBe(401);
  });

  it('refuses an expired ID token', async () => {
    const page = await freshPage();
    const callback = await callbackOf(page, 'anna');
    provider.faults.expiredBySeconds = 300;
    const res = await get(page.context(), callback);
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'wrong-credentials', error: expect.stringMatching(/exp/) });
    expect((await page.request.get(`${base}/api/session`)).status()).toBe(401);
  });

  it('answers 503 unavailable, not 500, while the provider is out of reach', async () => {
    const away = loadOidcSettings({
      OIDC_ISSUER: `http://127.0.0.1:${await freePort()}`,
      OIDC_CLIENT_ID: 'care-web',
      OIDC_REDIRECT_URI: `${base}/api/oidc/callback`,
      OIDC_ROLE_MAP: '{"grp-coordinators":"coordinator"}',
    })!;
    const lonely = await buildApp({
    records: await fileRecords(), client: env.client, taskQueue: taskQueue(), accounts: [], sessionSecret: 'oidc-secret-oidc-secret-oidc-sec!', oidc: away });
    try {
      const res = await lonely.inject({ method: 'GET', url: '/api/oidc/login' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ code: 'unavailable' });
      expect((await lonely.inject({ method: 'GET', url: '/api/session/methods' })).json()).toEqual({ local: true, oidc: { name: 'single sign-on', login: '/api/oidc/login' } });
    } finally {
      await lonely.close();
    }
  });
});
