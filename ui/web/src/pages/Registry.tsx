import { useState } from 'react';
import { api, type RegistryFacility, type RegistryTeam } from '../api';
import { Problem, useLang, useTitle } from '../i18n';
import { usePoll } from '../use-poll';
import { PartnerRegistry } from './PartnerRegistry';

const emails = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** A save's outcome: translated error text or "saved". */
function useSave() {
  const { t, problem } = useLang();
  useTitle(t('registry'));
  const [note, setNote] = useState<string | null>(null);
  const save = (p: Promise<unknown>, then: () => void) =>
    p.then(
      () => (setNote(t('saved')), then()),
      (e: unknown) => setNote(e instanceof Error ? problem(e) : String(e)),
    );
  return { note, save };
}

function TeamForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useLang();
  const { note, save } = useSave();
  const [v, setV] = useState({ id: '', name: '', language: 'da' as 'da' | 'en', coordinators: '', supervisors: '', active: true });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void save(api.saveTeam({ ...v, coordinators: emails(v.coordinators), supervisors: emails(v.supervisors) }), onSaved);
  };
  const text = (k: 'id' | 'name' | 'coordinators' | 'supervisors') => (
    <div className="field">
      <label htmlFor={`team-${k}`}>{t(k)}</label>
      <input id={`team-${k}`} value={v[k]} required={k === 'id' || k === 'name'} onChange={(e) => setV({ ...v, [k]: e.target.value })} />
    </div>
  );
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('teams')}>
      {text('id')}
      {text('name')}
      <div className="field">
        <label htmlFor="team-language">{t('language')}</label>
        <select id="team-language" value={v.language} onChange={(e) => setV({ ...v, language: e.target.value as 'da' | 'en' })}>
          <option value="da">Dansk</option>
          <option value="en">English</option>
        </select>
      </div>
      {text('coordinators')}
      {text('supervisors')}
      <div className="field">
        <label htmlFor="team-active">{t('active')}</label>
        <input id="team-active" type="checkbox" checked={v.active} onChange={(e) => setV({ ...v, active: e.target.checked })} />
      </div>
      <button type="submit">{t('save')}</button> {note && <span role="status">{note}</span>}
    </form>
  );
}

function FacilityForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useLang();
  const { note, save } = useSave();
  const [v, setV] = useState({ id: '', name: '', capacity: '2', active: true });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    void save(api.saveFacility({ ...v, capacity: Number(v.capacity) }), onSaved);
  };
  const text = (k: 'id' | 'name' | 'capacity') => (
    <div className="field">
      <label htmlFor={`facility-${k}`}>{t(k)}</label>
      <input id={`facility-${k}`} type={k === 'capacity' ? 'number' : 'text'} min={0} required value={v[k]} onChange={(e) => setV({ ...v, [k]: e.target.value })} />
    </div>
  );
  return (
    <form className="action-form" onSubmit={submit} aria-label={t('facilities')}>
      {text('id')}
      {text('name')}
      {text('capacity')}
      <div className="field">
        <label htmlFor="facility-active">{t('active')}</label>
        <input id="facility-active" type="checkbox" checked={v.active} onChange={(e) => setV({ ...v, active: e.target.checked })} />
      </div>
      <button type="submit">{t('save')}</button> {note && <span role="status">{note}</span>}
    </form>
  );
}

/** Admins register teams (with staff addresses), facilities (with capacity) and partners; saving an id again updates it. */
export function Registry() {
  const { t } = useLang();
  const [round, setRound] = useState(0);
  const teams = usePoll(() => api.teams(), [round], 30_000);
  const facilities = usePoll(() => api.registryFacilities(), [round], 30_000);
  const error = teams.error ?? facilities.error;
  if (error) return <Problem error={error} title={t('registry')} />;
  const again = () => setRound(round + 1);
  const row = (x: RegistryTeam) => (
    <tr key={x.id}>
      <td>{x.id}</td>
      <td>{x.name}</td>
      <td>{x.language}</td>
      <td>{(x.coordinators ?? []).join(', ')}</td>
      <td>{(x.supervisors ?? []).join(', ')}</td>
      <td>{x.active === false ? '—' : '✓'}</td>
    </tr>
  );
  const facilityRow = (f: RegistryFacility) => (
    <tr key={f.id}>
      <td>{f.id}</td>
      <td>{f.name}</td>
      <td>{f.capacity}</td>
      <td>{f.active ? '✓' : '—'}</td>
    </tr>
  );
  return (
    <section aria-labelledby="registry-title">
      <h1 id="registry-title">{t('registry')}</h1>
      <section className="card" aria-labelledby="teams-title">
        <h2 id="teams-title">{t('teams')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('id')}</th>
              <th>{t('name')}</th>
              <th>{t('language')}</th>
              <th>{t('coordinators')}</th>
              <th>{t('supervisors')}</th>
              <th>{t('active')}</th>
            </tr>
          </thead>
          <tbody>{teams.data?.map(row)}</tbody>
        </table>
        <TeamForm onSaved={again} />
      </section>
      <section className="card" aria-labelledby="places-title">
        <h2 id="places-title">{t('facilities')}</h2>
        <table>
          <thead>
            <tr>
              <th>{t('id')}</th>
              <th>{t('name')}</th>
              <th>{t('capacity')}</th>
              <th>{t('active')}</th>
            </tr>
          </thead>
          <tbody>{facilities.data?.map(facilityRow)}</tbody>
        </table>
        <FacilityForm onSaved={again} />
      </section>
      <PartnerRegistry />
    </section>
  );
}
