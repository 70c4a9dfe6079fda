/**
 * `npm run demo` (with `npm start` running): fills the embedded default with demo accounts and
 * a realistic spread of pathways, so a newcomer sees a living system. Demo passwords are
 * printed; do not run this against a real municipality's server.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { clientDataConverter } from '../codec/data-converter';
import { keyringFromEnv } from '../codec/keyring';
import type { Actor, Command } from '../machines';
import { AccountsFileSchema, actorOf, type Account } from '../ui/server/accounts';
import { hashPassword } from '../ui/server/passwords';
import { loadApiSettings } from '../ui/server/settings';
import { loadConfig } from '../worker/config';
import { connectionOptions } from '../worker/connection';
import { actUpdate, pathwayWorkflowId, RejectionType, viewQuery, type PathwayMemo } from '../workflows/messages';
import type { pathwayWorkflow } from '../workflows/pathway';

const people: Omit<Account, 'passwordHash'>[] = [
  { id: 'anna', name: 'Anna (opsøgende team)', role: 'coordinator', teams: ['outreach'] },
  { id: 'bo', name: 'Bo (psykiatrisk udredning)', role: 'coordinator', teams: ['psychiatry-liaison'] },
  { id: 'cecilie', name: 'Cecilie (omsorgspladser)', role: 'coordinator', teams: ['care-place'] },
  { id: 'dorte', name: 'Dorte (bostøtte)', role: 'coordinator', teams: ['housing-support'] },
  { id: 'erik', name: 'Erik (teamleder)', role: 'supervisor', teams: ['outreach', 'psychiatry-liaison', 'care-place', 'housing-support'] },
  { id: 'admin', name: 'Administrator', role: 'admin', teams: [] },
  { id: 'frida', name: 'Frida (databeskyttelsesrådgiver)', role: 'privacy-officer', teams: [] },
  { id: 'gustav', name: 'Gustav (kommunal læseadgang)', role: 'municipal-reader', teams: [] },
  { id: 'hanne', name: 'Hanne (peermedarbejder)', role: 'peer', teams: [] },
];
const PASSWORD = 'demo-password';

const settings = loadApiSettings();
const existing: Account[] = existsSync(settings.ACCOUNTS_PATH)
  ? AccountsFileSchema.parse(JSON.parse(readFileSync(settings.ACCOUNTS_PATH, 'utf8'))).accounts
  : [];
const added = await Promise.all(
  people.filter((p) => !existing.some((a) => a.id === p.id)).map(async (p) => ({ ...p, passwordHash: await hashPassword(PASSWORD) })),
);
mkdirSync(dirname(settings.ACCOUNTS_PATH), { recursive: true });
writeFileSync(settings.ACCOUNTS_PATH, JSON.stringify({ accounts: [...existing, ...added] }, null, 2), { mode: 0o600 });
/**
 * The demo's teams and facility, registered through the running API as the demo admin: the
 * embedded record store belongs to `npm start` while it runs.
 */
async function register() {
  const base = `http://${settings.HOST}:${settings.PORT}`;
  const signIn = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'admin', password: PASSWORD }) });
  if (!signIn.ok) throw new Error(`demo: cannot sign in as admin at ${base} (${signIn.status}): is npm start running?`);
  const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const put = async (url: string, body: object) => {
    const res = await fetch(`${base}${url}`, { method: 'PUT', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`demo: PUT ${url} answered ${res.status}: ${await res.text()}`);
  };
  const teams: [string, string][] = [
    ['outreach', 'Opsøgende team'],
    ['psychiatry-liaison', 'Psykiatrisk udredning'],
    ['care-place', 'Omsorgspladser'],
    ['housing-support', 'Bostøtte'],
  ];
  for (const [id, name] of teams) await put(`/api/teams/${id}`, { name, language: 'da', coordinators: [`${id}@kommune.example`], supervisors: [`leder-${id}@kommune.example`] });
  await put('/api/facilities/registry/skovvang', { name: 'Skovvang', capacity: 2 });
  await put('/api/facilities/registry/lindely', { name: 'Lindely', capacity: 3 });
  await put('/api/partners/region-vest', { name: 'Regionspsykiatrien Vest', kind: 'region-psychiatry', contactName: 'Visitationen', responseDays: 14 });
}
await register();

const [anna, bo, cecilie, dorte] = people.map((p) => actorOf({ ...p, passwordHash: '' })) as [Actor, Actor, Actor, Actor];

const config = loadConfig();
const connection = await Connection.connect(connectionOptions(config));
const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: clientDataConverter(keyringFromEnv()) });

/** Made-up citizens: the name travels as the API sends it, in the start input and the memo (both encrypted). */
const demoNames = ['Jens Hansen', 'Mette Nielsen', 'Lars Jensen', 'Hanne Pedersen', 'Søren Andersen', 'Lone Christensen', 'Ole Larsen', 'Birgit Sørensen', 'Niels Rasmussen', 'Karen Jørgensen', 'Poul Madsen'];
let started = 0;

async function pathway(steps: [Actor, Command][]) {
  const pathwayId = randomUUID();
  const citizenRef = `demo-${pathwayId.slice(0, 6)}`;
  const citizenName = demoNames[started++ % demoNames.length]!;
  const h = await client.workflow.start<typeof pathwayWorkflow>('pathwayWorkflow', {
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowId: pathwayWorkflowId(pathwayId),
    args: [{ start: { pathwayId, citizenRef, citizenName, team: 'outreach', by: anna } }],
    memo: { citizenRef, citizenName } satisfies PathwayMemo,
  });
  await run(h, steps);
  return h;
}

async function run(h: Awaited<ReturnType<typeof client.workflow.start<typeof pathwayWorkflow>>>, steps: [Actor, Command][]) {
  for (const [actor, command] of steps) {
    for (let attempt = 1; ; attempt++) {
      const { version } = await h.query(viewQuery, actor);
      const requestId = randomUUID();
      try {
        await h.executeUpdate(actUpdate, { args: [{ requestId, expectedVersion: version, actor, command }], updateId: requestId });
        break;
      } catch (err) {
        // A facility's grant may land between reading and acting: read again, as a person would.
        const stale = err instanceof WorkflowUpdateFailedError && (err.cause as { type?: string })?.type === RejectionType.stale;
        if (!stale || attempt === 3) throw err;
      }
    }
  }
}

/** Waits for the facility to grant the place. */
async function untilStay(h: Awaited<ReturnType<typeof pathway>>) {
  while ((await h.query(viewQuery, cecilie)).stage !== 'stay') await new Promise((r) => setTimeout(r, 200));
}

const referred: [Actor, Command][] = [
  [anna, { type: 'contact.log', outcome: 'reached' }],
  [anna, { type: 'consent.record', given: true }],
  [anna, { type: 'referral.request' }],
];
const assessed: [Actor, Command][] = [...referred, [bo, { type: 'handoff.accept' }]];
const waiting: [Actor, Command][] = [...assessed, [bo, { type: 'assessment.outcome', outcome: 'care-place' }], [cecilie, { type: 'handoff.accept' }]];
const queued: [Actor, Command][] = [...waiting, [cecilie, { type: 'waitlist.join', facilityId: 'skovvang' }]];

await pathway([[anna, { type: 'contact.log', outcome: 'not-reached', note: 'ikke truffet ved herberget' }]]);
await pathway([[anna, { type: 'contact.log', outcome: 'reached' }]]);
await pathway(referred); // waits for the liaison team to accept
await pathway(assessed);
await pathway([...assessed, [bo, { type: 'assessment.outcome', outcome: 'other-offer' }]]); // closed
await pathway(waiting); // accepted by the care-place team, on no waitlist yet
// One has had its stay and moved on to housing support; its place went to the next in line.
const housed = await pathway(queued);
await untilStay(housed);
await run(housed, [
  [cecilie, { type: 'dischargePlanning.start' }],
  [cecilie, { type: 'discharge.request' }],
  [dorte, { type: 'handoff.accept' }],
]);
const extended = await pathway(queued);
await untilStay(extended);
await run(extended, [[cecilie, { type: 'extension.request', days: 14, reason: 'bolig klar om tre uger' }]]);
// The citizen's side: a plan in their own words, a safety marker, their network, a peer worker, a request to a partner.
const DAY = 86_400_000;
await run(extended, [
  [cecilie, { type: 'goal.add', goal: 'Have min egen lejlighed inden sommer', area: 'housing', helpers: 'min søster, bostøtten', reviewAt: Date.now() + 14 * DAY }],
  [cecilie, { type: 'goal.add', goal: 'Spille fodbold om tirsdagen', area: 'network', reviewAt: Date.now() + 30 * DAY }],
  [cecilie, { type: 'admissions.before', count: 3, days: 41 }],
  [cecilie, { type: 'safety.set', concern: 'threats', precautions: 'Besøg to sammen om aftenen', reviewAt: Date.now() + 90 * DAY }],
  [cecilie, { type: 'network.add', name: 'Lise (søster)', relation: 'relative' }],
  [cecilie, { type: 'consent.record', given: true, scope: 'relative', recipient: 'contact-1' }],
  [cecilie, { type: 'consent.record', given: true, scope: 'peer', recipient: 'hanne' }],
  [cecilie, { type: 'peer.attach', peer: 'hanne' }],
  [cecilie, { type: 'consent.record', given: true, scope: 'partner', recipient: 'region-vest' }],
  [cecilie, { type: 'partner.request', partnerId: 'region-vest', request: 'Medicingennemgang før udskrivning', responseDays: 14 }],
]);
await pathway([...queued, [cecilie, { type: 'note.add', text: 'følges tæt' }]]);
await pathway(queued); // waits for a place
await pathway(queued); // waits for a place
console.log(`demo: ${added.length} accounts added to ${settings.ACCOUNTS_PATH} (password "${PASSWORD}"): ${people.map((p) => p.id).join(', ')}`);
console.log('demo: teams outreach, psychiatry-liaison, care-place, housing-support, facilities skovvang, lindely and partner region-vest registered');
console.log('demo: 11 pathways in outreach, assessment, waiting, stay, follow-up and closed; sign in at the web address npm start printed');
await connection.close();
