import type { Report } from '../api';
import { useLang } from '../i18n';
import { Bar } from './Bar';

/** The report's citizen-centred half: goals advanced by life area, ratings over time, and admissions before against since. */
export function RecoveryReport({ report }: { report: Report }) {
  const { t, name, num } = useLang();
  const g = report.recovery;
  const a = report.admissions;
  const share = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`);
  const rate = (v: number | null | undefined) => (v == null ? '—' : num(v));
  return (
    <>
      <h3>{t('goalProgress')}</h3>
      <p>{t('goalsSummary', { plans: g.pathwaysWithPlan, goals: g.goals, advanced: g.advanced, share: share(g.advancedShare), achieved: g.achieved, yearly: g.yearlyReviews })}</p>
      <ul className="chart" aria-label={t('goalsByArea')}>
        {g.byArea.map((x) => (
          <Bar key={x.area} label={name(x.area)} value={x.advanced} max={Math.max(1, x.goals)} text={t('advancedOf', { advanced: x.advanced, goals: x.goals })} />
        ))}
      </ul>
      <h3>{t('ratingsOverTime')}</h3>
      <ul className="chart">
        {g.ratingsByReview.map((r) => (
          <Bar key={r.review} label={t('reviewNo', { n: r.review })} value={r.meanRating} max={10} text={`${num(r.meanRating)} (n=${r.goals})`} />
        ))}
      </ul>
      <h3>{t('partnerRequests')}</h3>
      <p>{t('partnerSummary', { requests: report.cooperation.requests, inTime: report.cooperation.answeredInTime, share: share(report.cooperation.inTimeShare) })}</p>
      <h3>{t('admissionsBeforeAfter')}</h3>
      <table>
        <caption>{t('admissionsCompared', { n: a.compared })}</caption>
        <thead>
          <tr>
            <th scope="col"></th>
            <th scope="col">{t('perYearAdmissions')}</th>
            <th scope="col">{t('perYearDays')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('yearBefore')}</th>
            <td>{rate(a.perYear.before?.admissions)}</td>
            <td>{rate(a.perYear.before?.days)}</td>
          </tr>
          <tr>
            <th scope="row">{t('sinceStart')}</th>
            <td>{rate(a.perYear.since?.admissions)}</td>
            <td>{rate(a.perYear.since?.days)}</td>
          </tr>
        </tbody>
      </table>
    </>
  );
}
