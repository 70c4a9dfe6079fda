import { api } from '../api';
import { Problem, useLang } from '../i18n';
import { usePoll } from '../use-poll';

export function Caseload() {
  const { t, name, date, countdown } = useLang();
  const { data, error } = usePoll(() => api.pathways(), []);
  if (error) return <Problem error={error} />;
  if (!data) return <p>{t('loading')}</p>;
  return (
    <section aria-labelledby="caseload-title">
      <h1 id="caseload-title">{t('caseload')}</h1>
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
                <td>{p.team}</td>
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
