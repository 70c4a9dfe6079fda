import { useState } from 'react';
import { api, type PartnerKind, type RegistryPartner } from '../api';
import { Problem, useLang } from '../i18n';
import { usePoll } from '../use-poll';

const kinds: PartnerKind[] = ['region-psychiatry', 'housing-office', 'police', 'other'];

function PartnerForm({ onSaved }: { onSaved: () => void }) {
  const { t, name, problem } = useLang();
  const [note, setNote] = useState<string | null>(null);
  const [v, setV] = useState({ id: '', name: '', kind: 'region-psychiatry' as PartnerKind, contactName: '', contactEmail: '', responseDays: '14', active: true });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    // An empty e-mail field means none: the API refuses an empty address.
    const partner = { ...v, contactEmail: v.contactEmail.trim() || undefined, responseDays: Number(v.responseDays) };
    void api.putPartner(partner).then(
      () => (setNote(t('saved')), onSaved()),
      (err: unknown) => setNote(err instanceof Error ? problem(err) : String(err)),
    );
  };
  const text = (k: 'id' | 'name' | 'contactName' | 'contactEmail' | 'responseDays') => (
    <div className="field">
      <label htmlFor={`partner-${k}`}>{t(k)}</label>
      <input
        id={`partner-${k}`}
        type={k === 'responseDays' ? 'number' : k === 'contactEmail' ? 'email' : 'text'}
        {...(k === 'responseDays' ? { min: 1, max: 90 } : {})}
        required={k !== 'contactEmail'}
        value={v[k]}
        onChange={(e) => setV({ ...v, [k]: e.target.value })}
      />
    </div>
  );
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('partners')}>
      {text('id')}
      {text('name')}
      <div className="field">
        <label htmlFor="partner-kind">{t('partnerKind')}</label>
        <select id="partner-kind" value={v.kind} onChange={(e) => setV({ ...v, kind: e.target.value as PartnerKind })}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {name(k)}
            </option>
          ))}
        </select>
      </div>
      {text('contactName')}
      {text('contactEmail')}
      {text('responseDays')}
      <div className="field">
        <label htmlFor="partner-active">{t('active')}</label>
        <input id="partner-active" type="checkbox" checked={v.active} onChange={(e) => setV({ ...v, active: e.target.checked })} />
      </div>
      <button type="submit">{t('save')}</button> {note && <span role="status">{note}</span>}
    </form>
  );
}

/** The admin page's partner organisations, with the contact and response time agreed with each; saving an id again updates it. */
export function PartnerRegistry() {
  const { t, name } = useLang();
  const [round, setRound] = useState(0);
  const partners = usePoll(() => api.partners(), [round], 30_000);
  const row = (p: RegistryPartner) => (
    <tr key={p.id}>
      <td>{p.id}</td>
      <td>{p.name}</td>
      <td>{name(p.kind)}</td>
      <td>{p.contactName}</td>
      <td>{p.contactEmail ?? '—'}</td>
      <td>{p.responseDays}</td>
      <td>{p.active === false ? '—' : '✓'}</td>
    </tr>
  );
  return (
    <section className="card" aria-labelledby="partners-title">
      <h2 id="partners-title">{t('partners')}</h2>
      {partners.error && <Problem error={partners.error} />}
      <table>
        <thead>
          <tr>
            <th>{t('id')}</th>
            <th>{t('name')}</th>
            <th>{t('partnerKind')}</th>
            <th>{t('contactName')}</th>
            <th>{t('contactEmail')}</th>
            <th>{t('responseDays')}</th>
            <th>{t('active')}</th>
          </tr>
        </thead>
        <tbody>{partners.data?.map(row)}</tbody>
      </table>
      <PartnerForm onSaved={() => setRound(round + 1)} />
    </section>
  );
}
