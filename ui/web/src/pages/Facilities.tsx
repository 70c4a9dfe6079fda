import { api } from '../api';
import { useDirectory } from '../directory';
import { Problem, useLang, useTitle } from '../i18n';
import { usePoll } from '../use-poll';

/**
 * The occupancy board for handover meetings: place by place who is there, their coordinator,
 * the day of the stay and the planned discharge; the waitlist with projected dates. Citizens of
 * other teams show without name or link. Printable (the navigation is left out) and as CSV.
 * Below, the reader's pathways that wait for a place but stand on no waitlist yet.
 */
export function Facilities() {
  const { t, date, name } = useLang();
  useTitle(t('facilities'));
  const names = useDirectory();
  const { data, error } = usePoll(() => api.facilities(), []);
  if (error) return <Problem error={error} title={t('facilities')} />;
  if (!data) return <p>{t('loading')}</p>;
  const citizen = (e: { pathwayId: string | null; citizenName?: string | null }) =>
    e.pathwayId ? <a href={`#/pathways/${e.pathwayId}`}>{e.citizenName ?? `#${e.pathwayId.slice(0, 8)}`}</a> : t('otherTeam');
  return (
    <section aria-labelledby="facilities-title">
      <h1 id="facilities-title">{t('facilities')}</h1>
      <p className="no-print">
        <a href={api.facilitiesCsvUrl}>{t('downloadCsv')}</a> ·{' '}
        <button type="button" onClick={() => print()}>
          {t('print')}
        </button>
      </p>
      {data.length === 0 && <p>{t('empty')}</p>}
      <Unlisted />
      {data.map((f) => (
        <section key={f.facilityId} aria-label={f.facilityId} className="card">
          <h2>
            {f.facilityId} · {t('capacity')}: {f.occupants.length}/{f.capacity}
          </h2>
          <table>
            <caption>{t('occupants')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('citizen')}</th>
                <th scope="col">{t('coordinator')}</th>
                <th scope="col">{t('day')}</th>
                <th scope="col">{t('plannedDischarge')}</th>
              </tr>
            </thead>
            <tbody>
              {f.occupants.map((o, i) => (
                <tr key={o.pathwayId ?? `other-${i}`}>
                  <td>{citizen(o)}</td>
                  <td>{o.pathwayId && o.coordinator ? names.staff(o.coordinator) : ''}</td>
                  <td>{t('dayOf', { day: o.day, of: o.limitDay })}</td>
                  <td>{date(o.endsAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table>
            <caption>{t('waitlist')}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('citizen')}</th>
                <th scope="col">{name('priority')}</th>
                <th scope="col">{t('projected')}</th>
              </tr>
            </thead>
            <tbody>
              {f.waitlist.map((w, i) => (
                <tr key={w.pathwayId ?? `other-${i}`}>
                  <td>{i + 1}</td>
                  <td>{citizen(w)}</td>
                  <td>{w.pathwayId ? name(w.priority) : ''}</td>
                  <td>{Number.isFinite(w.projectedAt) && w.projectedAt ? date(w.projectedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}

/** Pathways of the reader's teams in the waiting stage with no facility chosen: on no board until they join a waitlist. */
function Unlisted() {
  const { t, date } = useLang();
  const { data } = usePoll(() => api.pathways({ stage: 'waiting' }).catch(() => []), []);
  const unlisted = (data ?? []).filter((p) => p.facility === null);
  if (unlisted.length === 0) return null;
  return (
    <section aria-labelledby="unlisted-title" className="card">
      <h2 id="unlisted-title">
        {t('unlisted')} ({unlisted.length})
      </h2>
      <ul>
        {unlisted.map((p) => (
          <li key={p.pathwayId}>
            <a href={`#/pathways/${p.pathwayId}/act/waitlist.join`}>{p.citizenName ?? `#${p.pathwayId.slice(0, 8)}`}</a>
            {p.stageEnteredAt && <> · {t('waitingSince', { when: date(p.stageEnteredAt) })}</>}
          </li>
        ))}
      </ul>
    </section>
  );
}
