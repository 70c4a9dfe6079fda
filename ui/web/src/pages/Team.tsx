import { api } from '../api';
import { Problem, useLang, useTitle } from '../i18n';
import { usePoll } from '../use-poll';
import { Bar } from './Bar';
import { TeamReport } from './TeamReport';

export function Team() {
  const { t, name, num } = useLang();
  useTitle(t('teamPage'));
  const { data, error } = usePoll(() => api.stats(), [], 15_000);
  if (error) return <Problem error={error} title={t('teamPage')} />;
  if (!data) return <p>{t('loading')}</p>;
  const most = Math.max(1, ...data.funnel.map((f) => f.count));
  const longest = Math.max(1, ...data.daysInStage.map((d) => d.maxDays));
  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">{t('teamPage')}</h1>
      <section className="card" aria-labelledby="funnel-title">
        <h2 id="funnel-title">{t('funnel')}</h2>
        <ul className="chart">
          {data.funnel.map((f) => <Bar key={f.stage} label={name(f.stage)} value={f.count} max={most} text={String(f.count)} />)}
        </ul>
      </section>
      <section className="card" aria-labelledby="days-title">
        <h2 id="days-title">{t('daysInStage')}</h2>
        <ul className="chart">
          {data.daysInStage.map((d) => (
            <Bar key={d.stage} label={name(d.stage)} value={d.averageDays} max={longest} text={`${num(d.averageDays)} / ${num(d.maxDays)} (${d.count})`} />
          ))}
        </ul>
        <p className="hint">{t('daysHint')}</p>
      </section>
      <section className="card" aria-labelledby="stays-title">
        <h2 id="stays-title">{t('staysAgainstLimit')}</h2>
        {data.stays.length === 0 && <p>{t('empty')}</p>}
        <ul className="chart">
          {data.stays.map((s) => (
            <Bar
              key={s.pathwayId}
              label={`#${s.pathwayId.slice(0, 8)} · ${s.facilityId}`}
              value={s.day}
              max={s.limitDay}
              text={`${t('day')} ${s.day} / ${s.limitDay}`}
              warn={s.day >= s.limitDay - 14}
            />
          ))}
        </ul>
      </section>
      <TeamReport />
    </section>
  );
}
