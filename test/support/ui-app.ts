import { mkdirSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import type { CommandType } from '../../machines';
import type { Account } from '../../ui/server/accounts';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { launchChromium } from './browser';
import { fileRecords, registerFacility } from './records';
import { devServer, taskQueue, worker } from './temporal';

/** Where browser tests keep their screenshots. */
export const shots = 'test-results/screenshots';

/** The people the browser tests sign in as; each password is `<id>-secret-1`. */
const people: Omit<Account, 'passwordHash'>[] = [
  // A small municipality: one coordinator covers every team.
  { id: 'kim', name: 'Kim Koordinator', role: 'coordinator', teams: ['outreach', 'psychiatry-liaison', 'care-place', 'housing-support'] },
  { id: 'lea', name: 'Lea Leder', role: 'supervisor', teams: ['care-place'] },
  { id: 'pia', name: 'Pia Persondata', role: 'privacy-officer', teams: [] },
  { id: 'bo', name: 'Bo Udreder', role: 'coordinator', teams: ['psychiatry-liaison'] },
  { id: 'ada', name: 'Ada Administrator', role: 'admin', teams: [] },
  { id: 'per', name: 'Per Peer', role: 'peer', teams: [] },
];

/**
 * The web UI served by the API against a dev server and a worker, and a Chromium to drive it,
 * set up around the calling test file. The helpers read `base` once the file's hooks have run.
 */
export function uiApp() {
  let env: TestWorkflowEnvironment;
  let w: Worker;
  let running: Promise<void>;
  let app: FastifyInstance;
  let browser: Browser;
  const ui = { base: '' };
  const queue = taskQueue();

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    env = await devServer();
    w = await worker(env, queue);
    running = w.run();
    const accounts = await Promise.all(people.map(async (p) => ({ ...p, passwordHash: await hashPassword(`${p.id}-secret-1`) })));
    app = await buildApp({ records: await fileRecords(), client: env.client, taskQueue: queue, accounts, sessionSecret: 'e2e-secret-e2e-secret-e2e-secret!', webRoot: inject('webRoot') });
    ui.base = await app.listen({ port: 0, host: '127.0.0.1' });
    // A browser that does not start fails the file instead of skipping it.
    browser = await launchChromium();
  });

  /** Content-Security-Policy violations any page reported: the built UI must cause none. */
  const cspViolations: string[] = [];
  afterEach(() => {
    expect(cspViolations.splice(0), 'CSP violations in the console').toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    w?.shutdown();
    await running;
    await env?.teardown();
  });

  /**
   * A page whose CSP violations land in `cspViolations`: Chromium's own "Refused to …" console
   * lines, and each `securitypolicyviolation` event, logged from a script the CSP does not govern.
   */
  async function newPage(o: Parameters<Browser['newPage']>[0]): Promise<Page> {
    const page = await browser.newPage(o);
    await page.addInitScript({
      content: "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI));",
    });
    page.on('console', (m) => {
      if (/Content Security Policy|CSP violation/i.test(m.text())) cspViolations.push(m.text());
    });
    return page;
  }

  async function signIn(page: Page, id: string, label = 'Sign in') {
    await page.goto(ui.base);
    await page.getByLabel(/Staff id|Medarbejder-id/).fill(id);
    await page.getByLabel(/Password|Adgangskode/).fill(`${id}-secret-1`);
    await page.getByRole('button', { name: label }).click();
    await expect.poll(() => page.getByRole('button', { name: /Sign out|Log ud/ }).count()).toBe(1);
  }

  /** Opens an action's form, fills it, sends it, and waits for the form to close. */
  async function act(page: Page, type: CommandType, fill: (form: ReturnType<Page['getByRole']>) => Promise<void> = async () => {}) {
    await page.locator(`button[data-action="${type}"]`).click();
    const form = page.getByRole('form').last();
    await fill(form);
    // The form's own button is named for its action.
    await form.locator('button[type=submit]').click();
    // A form that stays open says why (a refusal, a field): that is the failure to read.
    await expect
      .poll(async () => ((await page.locator('form.action-form').count()) === 0 ? 'closed' : ((await form.getByRole('alert').allTextContents()).join(' ') || 'open')))
      .toBe('closed');
  }

  /** Sends `commands` to a pathway through the API as the page's person, each expecting the version the one before left. */
  async function send(page: Page, pathwayId: string, commands: object[], version = 1): Promise<number> {
    for (const [i, command] of commands.entries()) {
      const res = await page.request.post(`${ui.base}/api/pathways/${pathwayId}/events`, {
        data: { command, expectedVersion: version, requestId: `send-${version}-${i}-${pathwayId}` },
      });
      expect(res.status(), await res.text()).toBe(200);
      version = (await res.json()).view.version;
    }
    return version;
  }

  /** Starts a pathway through the API as the page's person and carries it into a stay: each test owns its pathway. */
  async function intoStay(page: Page, facilityId: string, citizenName?: string): Promise<string> {
    await registerFacility(await fileRecords(), facilityId);
    const started = await page.request.post(`${ui.base}/api/pathways`, { data: { citizenRef: `ref-${facilityId}`, ...(citizenName ? { citizenName } : {}) } });
    expect(started.status()).toBe(201);
    const { pathwayId } = await started.json();
    await send(page, pathwayId, [
      { type: 'consent.record', given: true },
      { type: 'referral.request' },
      { type: 'handoff.accept' },
      { type: 'assessment.outcome', outcome: 'care-place' },
      { type: 'handoff.accept' },
      { type: 'waitlist.join', facilityId },
    ]);
    await expect.poll(async () => (await (await page.request.get(`${ui.base}/api/pathways/${pathwayId}`)).json()).view.stage).toBe('stay');
    return pathwayId;
  }

  return { ui, newPage, signIn, act, send, intoStay };
}
