import { useState } from 'react';
import { api, type Me } from '../api';
import { Problem, useLang, useTitle } from '../i18n';

export function StartPathway({ me }: { me: Me }) {
  const { t } = useLang();
  useTitle(t('start'));
  const [ref, setRef] = useState('');
  const [citizenName, setName] = useState('');
  const [cpr, setCpr] = useState('');
  const [team, setTeam] = useState(me.teams[0] ?? '');
  const [error, setError] = useState<Error | null>(null);
  return (
    <form
      className="card narrow"
      aria-label={t('start')}
      onSubmit={(e) => {
        e.preventDefault();
        api.start({ citizenRef: ref, citizenName, cpr, team }).then((r) => (location.hash = `#/pathways/${r.pathwayId}`), (err: Error) => setError(err));
      }}
    >
      <h1>{t('start')}</h1>
      <div className="field">
        <label htmlFor="citizen-name">{t('citizenName')}</label>
        <input id="citizen-name" value={citizenName} onChange={(e) => setName(e.target.value)} required maxLength={200} autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="citizen-ref">{t('citizenRef')}</label>
        <input id="citizen-ref" value={ref} onChange={(e) => setRef(e.target.value)} required pattern="[A-Za-z0-9._\-]{1,64}" />
      </div>
      <div className="field">
        <label htmlFor="cpr">{t('cprOptional')}</label>
        <input id="cpr" value={cpr} onChange={(e) => setCpr(e.target.value)} pattern="\d{6}-?\d{4}" inputMode="numeric" autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor="team">{t('team')}</label>
        <select id="team" value={team} onChange={(e) => setTeam(e.target.value)}>
          {me.teams.map((x) => <option key={x}>{x}</option>)}
        </select>
      </div>
      {error && <Problem error={error} />}
      <button type="submit">{t('create')}</button>
    </form>
  );
}
