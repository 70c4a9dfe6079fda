import type { PathwayContext } from './context';
import type { EventOf, PathwayEvent } from './events';
import { refuse, type Refusal } from './refusals';
import { DAY } from './time';

/**
 * The people and organisations around the citizen, and what the citizen lets each of them know
 * (docs/domain.md, "The citizen at the centre"): consent per purpose and recipient, the network of
 * relatives and others, peer workers, and requests to partners under an agreed response time.
 * Pure: the machine's actions call `circleStep`, its rules `circleRefusal`, deadlines.ts reads the
 * requests' deadlines, and access to the case follows `activePeers`.
 */

export type ConsentScope = 'region' | 'relative' | 'peer' | 'partner';

/** Consent for one purpose and recipient; the newest per (scope, recipient) holds. Region consent is `consent`. */
export interface ScopedConsent {
  scope: Exclude<ConsentScope, 'region'>;
  recipient: string;
  given: boolean;
  at: number;
  by: string;
}

export interface NetworkContact {
  /** `contact-<n>`: a name never travels in ids. */
  id: string;
  name: string;
  relation: 'relative' | 'friend' | 'neighbour' | 'professional' | 'other';
  phone?: string;
  note?: string;
  addedAt: number;
}

export interface PartnerRequest {
  id: string;
  partnerId: string;
  request: string;
  requestedAt: number;
  requestedBy: string;
  /** The partner's agreed response time from the request. */
  dueAt: number;
  answeredAt: number | null;
  withdrawnAt: number | null;
}

export interface Circle {
  contacts: NetworkContact[];
  contactCount: number;
  consents: ScopedConsent[];
  /** Peer workers attached; each sees the case only while the citizen's consent for them holds. */
  peers: string[];
  requests: PartnerRequest[];
  requestCount: number;
}

export const MAX_CONTACTS = 30;
export const MAX_OPEN_REQUESTS = 10;
const MAX_PEERS = 5;

const circleOf = (c: PathwayContext): Circle => c.circle ?? { contacts: [], contactCount: 0, consents: [], peers: [], requests: [], requestCount: 0 };
const isOpen = (r: PartnerRequest) => r.answeredAt === null && r.withdrawnAt === null;
export const openRequests = (c: PathwayContext) => c.circle?.requests.filter(isOpen) ?? [];

/** Whether the citizen's consent for `scope` (and, but for the region, `recipient`) holds now. */
export function consentGiven(c: PathwayContext, scope: ConsentScope, recipient?: string): boolean {
  if (scope === 'region') return c.consent?.given === true;
  return c.circle?.consents.find((x) => x.scope === scope && x.recipient === recipient)?.given === true;
}

/** The peer workers who may see the case now: attached, with the citizen's consent standing. */
export const activePeers = (c: PathwayContext) => c.circle?.peers.filter((p) => consentGiven(c, 'peer', p)) ?? [];

/** Why the event `e` does not fit the citizen's circle; undefined where it does. */
export function circleRefusal(c: PathwayContext, e: PathwayEvent): Refusal | undefined {
  const circle = circleOf(c);
  switch (e.type) {
    case 'consent.record': {
      const scope = e.scope ?? 'region';
      if ((scope === 'region') !== (e.recipient === undefined)) return refuse('consent-recipient-invalid', { scope });
      if (scope === 'relative' && !circle.contacts.some((x) => x.id === e.recipient)) return refuse('unknown-contact', { contactId: e.recipient! });
      return undefined;
    }
    case 'network.add':
      return circle.contacts.length >= MAX_CONTACTS ? refuse('too-many-contacts', { max: MAX_CONTACTS }) : undefined;
    case 'network.remove':
      return circle.contacts.some((x) => x.id === e.contactId) ? undefined : refuse('unknown-contact', { contactId: e.contactId });
    case 'peer.attach':
      if (circle.peers.includes(e.peer)) return refuse('already-attached', { peer: e.peer });
      if (circle.peers.length >= MAX_PEERS) return refuse('too-many-peers', { max: MAX_PEERS });
      return consentGiven(c, 'peer', e.peer) ? undefined : refuse('consent-required-for', { scope: 'peer' });
    case 'peer.detach':
      return circle.peers.includes(e.peer) ? undefined : refuse('not-attached', { peer: e.peer });
    case 'partner.request':
      if (openRequests(c).length >= MAX_OPEN_REQUESTS) return refuse('too-many-requests', { max: MAX_OPEN_REQUESTS });
      return consentGiven(c, 'partner', e.partnerId) ? undefined : refuse('consent-required-for', { scope: 'partner' });
    case 'partner.answer':
    case 'partner.withdraw': {
      const r = circle.requests.find((x) => x.id === e.requestId);
      if (!r) return refuse('unknown-request', { requestId: e.requestId });
      return isOpen(r) ? undefined : refuse('request-closed', { requestId: e.requestId });
    }
    default:
      return undefined;
  }
}

export const circleEventTypes = ['consent.record', 'network.add', 'network.remove', 'peer.attach', 'peer.detach', 'partner.request', 'partner.answer', 'partner.withdraw'] as const;
type CircleEvent = EventOf<(typeof circleEventTypes)[number]>;
export const isCircleEvent = (e: PathwayEvent): e is CircleEvent => (circleEventTypes as readonly string[]).includes(e.type);

/** What an accepted event changes in the circle. Region consent stays in `consent` (pathway-actions.ts). */
export function circleStep(c: PathwayContext, e: CircleEvent): Partial<PathwayContext> {
  const circle = circleOf(c);
  const withCircle = (change: Partial<Circle>) => ({ circle: { ...circle, ...change } });
  const closeRequest = (id: string, change: Partial<PartnerRequest>) => circle.requests.map((r) => (r.id === id ? { ...r, ...change } : r));
  switch (e.type) {
    case 'consent.record': {
      if (e.scope === undefined || e.scope === 'region' || e.recipient === undefined) return {};
      const { scope, recipient } = e;
      const consents = [...circle.consents.filter((x) => !(x.scope === scope && x.recipient === recipient)), { scope, recipient, given: e.given, at: e.at, by: e.by.id }];
      // Revoked for a partner: what was asked of it is withdrawn at once, so nothing more is shared there.
      const requests = scope === 'partner' && !e.given ? circle.requests.map((r) => (r.partnerId === recipient && isOpen(r) ? { ...r, withdrawnAt: e.at } : r)) : circle.requests;
      return withCircle({ consents, requests });
    }
    case 'network.add': {
      const contact: NetworkContact = {
        id: `contact-${circle.contactCount + 1}`,
        name: e.name,
        relation: e.relation,
        ...(e.phone ? { phone: e.phone } : {}),
        ...(e.note ? { note: e.note } : {}),
        addedAt: e.at,
      };
      return withCircle({ contacts: [...circle.contacts, contact], contactCount: circle.contactCount + 1 });
    }
    case 'network.remove':
      // Their consents go with them: a contact added again starts with none.
      return withCircle({
        contacts: circle.contacts.filter((x) => x.id !== e.contactId),
        consents: circle.consents.filter((x) => !(x.scope === 'relative' && x.recipient === e.contactId)),
      });
    case 'peer.attach':
      return withCircle({ peers: [...circle.peers, e.peer] });
    case 'peer.detach':
      return withCircle({ peers: circle.peers.filter((p) => p !== e.peer) });
    case 'partner.request': {
      const request: PartnerRequest = {
        id: `request-${circle.requestCount + 1}`,
        partnerId: e.partnerId,
        request: e.request,
        requestedAt: e.at,
        requestedBy: e.by.id,
        dueAt: e.at + e.responseDays * DAY,
        answeredAt: null,
        withdrawnAt: null,
      };
      // Closed requests leave the state once there are many: the record store keeps them.
      const kept = circle.requests.length >= 2 * MAX_OPEN_REQUESTS ? circle.requests.filter(isOpen) : circle.requests;
      return withCircle({ requests: [...kept, request], requestCount: circle.requestCount + 1 });
    }
    case 'partner.answer':
      return withCircle({ requests: closeRequest(e.requestId, { answeredAt: e.at }) });
    case 'partner.withdraw':
      return withCircle({ requests: closeRequest(e.requestId, { withdrawnAt: e.at }) });
  }
}
