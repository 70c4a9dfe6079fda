import { useEffect, useState } from 'react';
import type { CommandType, PathwayView } from '../../../../machines';
import { api, type RegistryPartner } from '../api';
import { useLang } from '../i18n';
import type { Names } from '../directory';
import type { People } from '../messages';

type Act = (command: CommandType, initial?: Record<string, string>) => void;
type Pick = { value: string; label: string };

let loaded: Promise<RegistryPartner[]> | null = null;
/** The registry's active partners, loaded once per page load like the directory (directory.ts): not again for every case opened. */
export function usePartners(): RegistryPartner[] {
  const [partners, setPartners] = useState<RegistryPartner[]>([]);
  useEffect(() => {
    let live = true;
    void (loaded ??= api.partners().catch(() => ((loaded = null), []))).then((p) => live && setPartners(p));
    return () => {
      live = false;
    };
  }, []);
  return partners;
}

/** What the circle's forms pick from: contacts, open requests, peer workers, partners, and any of them as a consent's recipient. */
export function circlePicks(view: PathwayView, people: Names, partners: RegistryPartner[]): Record<string, Pick[]> {
  const contacts = view.circle.contacts.map((c) => ({ value: c.id, label: c.name }));
  const peers = people.people.filter((p) => p.role === 'peer').map((p) => ({ value: p.id, label: p.name }));
  const partnerPicks = partners.map((p) => ({ value: p.id, label: p.name }));
  const partnerName = (id: string) => partners.find((p) => p.id === id)?.name ?? id;
  return {
    contactId: contacts,
    requestId: view.circle.requests.filter((r) => r.answeredAt === null && r.withdrawnAt === null).map((r) => ({ value: r.id, label: `${partnerName(r.partnerId)}: ${r.request}` })),
    peer: peers,
    partnerId: partnerPicks,
    recipient: [...contacts, ...peers, ...partnerPicks],
  };
}

/**
 * The people and organisations around the citizen: who is in their network and what each may be
 * told, the peer workers and whether the citizen's consent still lets them see the case, and the
 * requests to partners with their agreed answer dates.
 */
export function Circle({ view, act, people, partners }: { view: PathwayView; act: Act; people: People; partners: RegistryPartner[] }) {
  const { t, name, date, countdown } = useLang();
  const { contacts, consents, peers, requests } = view.circle;
  const may = (type: CommandType) => view.actions.some((a) => a.type === type && a.available);
  const shared = (scope: string, recipient: string) => consents.find((c) => c.scope === scope && c.recipient === recipient);
  const consentText = (scope: string, recipient: string) => {
    const c = shared(scope, recipient);
    return c ? `${c.given ? t('consentYes') : t('consentWithdrawn')} ${date(c.at)}` : t('noConsent');
  };
  const partnerName = (id: string) => partners.find((p) => p.id === id)?.name ?? id;
  if (contacts.length + peers.length + requests.length === 0 && !may('network.add')) return null;
  return (
    <section aria-labelledby="circle-title" data-testid="circle">
      <h2 id="circle-title">{t('circle')}</h2>
      <h3>{t('network')}</h3>
      {contacts.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ul>
          {contacts.map((c) => (
            <li key={c.id}>
              {c.name} ({name(c.relation)}){c.phone && <> · {c.phone}</>} · {t('mayBeTold')}: {consentText('relative', c.id)}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('peerWorkers')}</h3>
      {peers.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ul>
          {peers.map((p) => (
            <li key={p.id}>
              {people.staff(p.id)} · {p.active ? t('peerActive') : t('peerNoConsent')}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('partnerRequests')}</h3>
      {requests.length === 0 ? (
        <p>{t('none')}</p>
      ) : (
        <ul>
          {requests.map((r) => (
            <li key={r.id} data-request={r.id}>
              <strong>{partnerName(r.partnerId)}</strong>: {r.request} ·{' '}
              {r.answeredAt !== null
                ? t(r.answeredAt <= r.dueAt ? 'answeredInTime' : 'answeredLate', { when: date(r.answeredAt) })
                : r.withdrawnAt !== null
                  ? t('withdrawn', { when: date(r.withdrawnAt) })
                  : `${t('answerDue')} ${date(r.dueAt)} (${r.dueAt <= view.asOf ? t('passed') : countdown(r.dueAt)})`}
              {r.answeredAt === null && r.withdrawnAt === null && may('partner.answer') && (
                <>
                  {' '}
                  <button type="button" onClick={() => act('partner.answer', { requestId: r.id })}>
                    {name('partner.answer')}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
