import type { CommandType, PathwayView } from '../../../../machines';
import { useLang } from '../i18n';
import type { People } from '../messages';

type Act = (command: CommandType, initial?: Record<string, string>) => void;

/** The staff-safety marker, said first to whoever visits: what to do, who set it, when it is reviewed. */
export function SafetyMarker({ view, names }: { view: PathwayView; names: People }) {
  const { t, name, date } = useLang();
  const s = view.safety;
  if (!s) return null;
  return (
    <aside className="safety" role="note" aria-labelledby="safety-title" data-testid="safety-marker">
      <h2 id="safety-title">{t('safetyTitle')}</h2>
      <p>
        <strong>{name(s.concern)}</strong>: {s.precautions}
      </p>
      <p>{t('safetyBy', { who: names.staff(s.setBy), when: date(s.setAt), review: date(s.reviewAt) })}</p>
    </aside>
  );
}

/**
 * The citizen's recovery plan: their goals in their own words, with the life area, steps, who
 * helps, the agreed review and the ratings the citizen gave. Each open goal is one click from its
 * review; the plan's other actions are in the action list with the rest.
 */
export function RecoveryPlan({ view, act }: { view: PathwayView; act: Act }) {
  const { t, name, date, countdown } = useLang();
  const may = (type: CommandType) => view.actions.some((a) => a.type === type && a.available);
  return (
    <section aria-labelledby="plan-title" data-testid="recovery-plan">
      <h2 id="plan-title">{t('recoveryPlan')}</h2>
      {view.goals.length === 0 && <p>{t('noGoals')}</p>}
      <ul className="goals">
        {view.goals.map((g) => (
          <li key={g.id} className={g.closed ? 'closed' : ''} data-goal={g.id}>
            <p className="goal-text">“{g.text}”</p>
            <p>
              {name(g.area)}
              {g.helpers && <> · {t('helpedBy', { who: g.helpers })}</>}
            </p>
            {g.steps && <p>{g.steps}</p>}
            {g.reviews.length > 0 && (
              <p>
                {t('ratings')}: {g.reviews.map((r) => r.rating).join(' → ')}
                {g.reviews.at(-1)?.note && <> · {g.reviews.at(-1)!.note}</>}
              </p>
            )}
            {g.closed ? (
              <p>{t('goalClosed', { outcome: name(g.closed.outcome), when: date(g.closed.at) })}</p>
            ) : (
              <p className={g.reviewAt <= view.asOf ? 'passed' : ''}>
                {t('nextReview')}: {date(g.reviewAt)} ({g.reviewAt <= view.asOf ? t('passed') : countdown(g.reviewAt)}){' '}
                {may('goal.review') && (
                  <button type="button" onClick={() => act('goal.review', { goalId: g.id })}>
                    {name('goal.review')}
                  </button>
                )}{' '}
                {may('goal.close') && (
                  <button type="button" onClick={() => act('goal.close', { goalId: g.id })}>
                    {name('goal.close')}
                  </button>
                )}
              </p>
            )}
          </li>
        ))}
      </ul>
      {/* Kept from those who do not record them (a peer worker sees none): "not recorded" would mislead them. */}
      {(view.admissions.before || may('admissions.before')) && (
        <>
          <h3>{t('admissionsTitle')}</h3>
          <p>
            {t('admissionsBefore')}:{' '}
            {view.admissions.before ? t('admissionsCount', { count: view.admissions.before.count, days: view.admissions.before.days }) : t('notRecorded')}
          </p>
        </>
      )}
      {view.admissions.during.length > 0 && (
        <ul>
          {view.admissions.during.map((a) => (
            <li key={a.admittedAt}>{t('admissionOn', { date: date(a.admittedAt), days: a.days })}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
