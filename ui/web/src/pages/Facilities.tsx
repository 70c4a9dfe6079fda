import { api } from '../api';
import { Problem, useLang, useTitle } from '../i18n';
import { usePoll } from '../use-poll';

export function Facilities() {
  const { t, date } = useLang();
  useTitle(t('facilities'));
  const { data, error } = usePoll(() => api.facilities(), []);
  if (error) return <Problem error={error} />;
  if (!data) return <p>{t('loading')}</p>;
  return (
    <section aria-labelledby="facilities-title">
      <h1 id="facilities-title">{t('facilities')}</h1>
      {data.length === 0 && <p>{t('empty')}</p>}
      {data.map((f) => (
        <section key={f.facilityId} aria-label={f.facilityId} className="card">
          <h2>
            {f.facilityId} · {t('capacity')}: {f.occupants.length}/{f.capacity}
          </h2>
          <h3>{t('occupants')}</h3>
          <ul>
            {f.occupants.map((o, i) => (
              <li key={o.pathwayId ?? `other-${i}`}>
                {o.pathwayId ? <a href={`#/pathways/${o.pathwayId}`}>#{o.pathwayId.slice(0, 8)}</a> : t('otherTeam')} · {t('stayEnds')} {date(o.endsAt)}
              </li>
            ))}
          </ul>
          <h3>{t('waitlist')}</h3>
          <ol>
            {f.waitlist.map((w, i) => (
              <li key={w.pathwayId ?? `other-${i}`}>
                {w.pathwayId ? <a href={`#/pathways/${w.pathwayId}`}>#{w.pathwayId.slice(0, 8)}</a> : t('otherTeam')} · {t('projected')}:{' '}
                {Number.isFinite(w.projectedAt) ? date(w.projectedAt) : '—'}
              </li>
            ))}
          </ol>
        </section>
      ))}
    </section>
  );
}
