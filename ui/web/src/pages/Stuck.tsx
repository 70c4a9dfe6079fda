import { api } from '../api';
import { Problem, useLang, useTitle } from '../i18n';
import { usePoll } from '../use-poll';

/** Stuck cases grouped by reason, oldest first within each group. */
export function Stuck() {
  const { t, name, date } = useLang();
  useTitle(t('stuck'));
  const { data, error } = usePoll(() => api.stuck(), []);
  if (error) return <Problem error={error} title={t('stuck')} />;
  if (!data) return <p>{t('loading')}</p>;
  const groups = new Map<string, typeof data>();
  for (const c of data) for (const r of c.reasons) groups.set(r.flag, [...(groups.get(r.flag) ?? []), c]);
  return (
    <section aria-labelledby="stuck-title">
      <h1 id="stuck-title">{t('stuck')}</h1>
      {groups.size === 0 && <p>{t('empty')}</p>}
      {[...groups].map(([flag, cases]) => (
        <section key={flag} aria-label={name(flag)}>
          <h2>
            {name(flag)} ({cases.length})
          </h2>
          <ul>
            {cases.map((c) => (
              <li key={c.pathwayId}>
                <a href={`#/pathways/${c.pathwayId}`}>#{c.pathwayId.slice(0, 8)}</a> · {c.stage ? name(c.stage) : ''} · {c.team} ·{' '}
                {c.stageEnteredAt ? date(c.stageEnteredAt) : ''}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
