import { useState } from 'react';
import { api, type Spread } from '../api';
import { Problem, useLang } from '../i18n';
import { usePoll } from '../use-poll';
import { Bar } from './Bar';
import { RecoveryReport } from './RecoveryReport';

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The evaluation report for a period (the cohort opened in it), as bar charts, with its CSV. */
export function TeamReport() {
  const { t, name, num: number } = useLang();
  const num = (v: number | null) => (v === null ? '—' : number(v));
  const [period, setPeriod] = useState({ from: day(Date.now() - 365 * 86_400_000), to: day(Date.now() + 86_400_000) });
  const [draft, setDraft] = useState(period);
  const { data, error } = usePoll(() => api.report(period), [period.from, period.to], 60_000);
  const spread = (s: Spread) => t('meanMedianMax', { mean: num(s.mean), median: num(s.median), max: num(s.max), n: s.count });
  const counts = (title: string, rows: [string, number][]) => {
    const most = Math.max(1, ...rows.map(([, v]) => v));
    return (
      <>
        <h3>{title}</h3>
        <ul className="chart">
          {rows.map(([label, v]) => (
            <Bar key={label} label={label} value={v} max={most} text={String(v)} />
          ))}
        </ul>
      </>
    );
  };
  return (
    <section className="card" aria-labelledby="report-title">
      <h2 id="report-title">{t('reports')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setPeriod(draft);
        }}
      >
        <label htmlFor="report-from">{t('from')}</label> <input id="report-from" type="date" required value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />{' '}
        <label htmlFor="report-to">{t('to')}</label> <input id="report-to" type="date" required value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />{' '}
        <button type="submit">{t('show')}</button> <a href={api.reportCsvUrl(period)}>{t('downloadCsv')}</a>
      </form>
      {error && <Problem error={error} />}
      {!data && !error && <p>{t('loading')}</p>}
      {data && (
        <>
          {counts(t('cohort'), [
            [t('cohort'), data.pathways],
            [t('reached'), data.reached],
            [t('consentGiven'), data.consentGiven],
            [t('referred'), data.referred],
            [t('dischargedToHousing'), data.dischargedToHousing],
          ])}
          {counts(t('assessmentOutcomes'), Object.entries(data.assessmentOutcomes).map(([k, v]) => [name(k), v]))}
          <h3>{t('waits')}</h3>
          <p>{spread(data.waits)}</p>
          <h3>{t('stays')}</h3>
          <p>{spread({ ...data.stays, count: data.stays.ended })}</p>
          <ul>
            <li>
              {t('withinLimit')}: {data.stays.withinLimitShare === null ? '—' : `${Math.round(data.stays.withinLimitShare * 100)} %`}
            </li>
            <li>
              {t('extensions')}: {data.stays.extensionsApproved} / {data.stays.extensionsRequested}
            </li>
            <li>
              {t('hospitalAdmissions')}: {data.stays.hospitalAdmissions}
            </li>
            <li>
              {t('releasedAfterHold')}: {data.stays.releasedAfterHold}
            </li>
          </ul>
          {counts(t('followUpOutcomes'), Object.entries(data.followUpOutcomes).map(([k, v]) => [name(k), v]))}
          <h3>{t('timeInStage')}</h3>
          <ul className="chart">
            {data.timeInStage.map((s) => (
              <Bar key={s.stage} label={name(s.stage)} value={s.mean ?? 0} max={Math.max(1, ...data.timeInStage.map((x) => x.mean ?? 0))} text={spread(s)} />
            ))}
          </ul>
          {counts(t('closures'), data.closures.map((c) => [name(c.reason), c.count]))}
          <RecoveryReport report={data} />
        </>
      )}
    </section>
  );
}
