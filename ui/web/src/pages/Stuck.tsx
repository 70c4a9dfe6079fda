import type { CommandType } from '../../../../machines';
import { api, type StuckCase } from '../api';
import { useDirectory } from '../directory';
import { Problem, useLang, useTitle } from '../i18n';
import { usePoll } from '../use-poll';

/** The decision each reason asks for, opened from the list in one click (the case page says if it is not the reader's). */
const decisionFor: Partial<Record<string, CommandType>> = {
  'extension-requested': 'extension.approve',
  'handoff-overdue': 'handoff.accept',
  'no-contact': 'contact.log',
  'discharge-planning-late': 'dischargePlanning.start',
  'stay-limit-near': 'extension.request',
  'stay-limit-exceeded': 'discharge.request',
  'review-missed': 'goal.review',
  'yearly-review-due': 'review.yearly',
  'safety-review-due': 'safety.set',
  'partner-overdue': 'partner.answer',
};

/** Stuck cases grouped by reason, oldest in its stage first: who, where, for how long, and the decision it waits for. */
export function Stuck() {
  const { t, name, due } = useLang();
  useTitle(t('stuck'));
  const names = useDirectory();
  const { data, error } = usePoll(() => api.stuck(), []);
  if (error) return <Problem error={error} title={t('stuck')} />;
  if (!data) return <p>{t('loading')}</p>;
  const groups = new Map<string, StuckCase[]>();
  for (const c of data) for (const r of c.reasons) groups.set(r.flag, [...(groups.get(r.flag) ?? []), c]);
  return (
    <section aria-labelledby="stuck-title">
      <h1 id="stuck-title">{t('stuck')}</h1>
      {groups.size === 0 && <p>{t('empty')}</p>}
      {[...groups].map(([flag, cases]) => {
        const decision = decisionFor[flag];
        return (
          <section key={flag} aria-label={name(flag)}>
            <h2>
              {name(flag)} ({cases.length})
            </h2>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('citizen')}</th>
                  <th scope="col">{t('stage')}</th>
                  <th scope="col">{t('team')}</th>
                  <th scope="col">{t('coordinator')}</th>
                  <th scope="col">{t('inStageFor')}</th>
                  <th scope="col">{t('nextDeadline')}</th>
                  {decision && <th scope="col">{t('decision')}</th>}
                </tr>
              </thead>
              <tbody>
                {cases.map((c) => (
                  <tr key={c.pathwayId}>
                    <td>
                      <a href={`#/pathways/${c.pathwayId}`}>{c.citizenName ?? `#${c.pathwayId.slice(0, 8)}`}</a>
                    </td>
                    <td>{c.stage ? name(c.stage) : ''}</td>
                    <td>{c.team ? names.team(c.team) : ''}</td>
                    <td>{c.coordinator ? names.staff(c.coordinator) : t('none')}</td>
                    <td>{c.stageEnteredAt ? t('days', { n: Math.floor((Date.now() - c.stageEnteredAt) / 86_400_000) }) : ''}</td>
                    <td>{c.nextDeadline ? due(c.nextDeadline, c.nextDeadlineKind) : ''}</td>
                    {decision && (
                      <td>
                        <a className="button" href={`#/pathways/${c.pathwayId}/act/${decision}`}>
                          {name(decision)}
                        </a>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </section>
  );
}
