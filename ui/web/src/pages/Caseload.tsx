import { useState } from 'react';
import { api, type Summary } from '../api';
import { useDirectory } from '../directory';
import { Problem, useLang, useTitle } from '../i18n';
import { usePoll } from '../use-poll';

export function Caseload() {
  const { t, name, date, countdown } = useLang();
  useTitle(t('caseload'));
  const { data: all, error } = usePoll(() => api.pathways(), []);
  const names = useDirectory();
  const [cpr, setCpr] = useState('');
  const [found, setFound] = useState<Summary[] | null>(null);
  const [searchError, setSearchError] = useState<Error | null>(null);
  if (error) return <Problem error={error} />;
  if (!all) return <p>{t('loading')}</p>;
  const data = found ?? all;
  return (
    <section aria-labelledby="caseload-title">
      <h1 id="caseload-title">{t('caseload')}</h1>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearchError(null);
          if (!cpr) return setFound(null);
          api.searchByCpr(cpr).then(setFound, (err: Error) => setSearchError(err));
        }}
      >
        <label htmlFor="cpr-search">{t('findByCpr')}</label> <input id="cpr-search" value={cpr} onChange={(e) => setCpr(e.target.value)} inputMode="numeric" autoComplete="off" />{' '}
        <button type="submit">{t('show')}</button>
      </form>
      {searchError && <Problem error={searchError} />}
      {data.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('citizen')}</th>
              <th scope="col">{t('stage')}</th>
              <th scope="col">{t('team')}</th>
              <th scope="col">{t('flags')}</th>
              <th scope="col">{t('nextDeadline')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((p) => (
              <tr key={p.pathwayId} className={p.flags.length ? 'attention' : ''}>
                <td>
                  <a href={`#/pathways/${p.pathwayId}`}>{p.citizenName ?? `#${p.pathwayId.slice(0, 8)}`}</a>
                  {p.citizenName && <small> #{p.pathwayId.slice(0, 8)}</small>}
                </td>
                <td>{p.stage ? name(p.stage) : ''}</td>
                <td>{p.team ? names.team(p.team) : ''}</td>
                <td>{p.flags.map((f) => <span key={f} className="flag">{name(f)}</span>)}</td>
                <td>{p.nextDeadline ? `${date(p.nextDeadline)} (${countdown(p.nextDeadline)})` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
