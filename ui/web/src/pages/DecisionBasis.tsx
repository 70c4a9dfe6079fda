import { useEffect, useState } from 'react';
import { DAY, extensionEffect, type AuditEntry, type OccupancyBoard, type PathwayView } from '../../../../machines';
import { api } from '../api';
import { useDirectory } from '../directory';
import { useLang } from '../i18n';

/**
 * What a decision rests on, shown before it is taken: a pending handoff's sender, their note
 * and the citizen's consent; an extension request's days, reason and who asked, and what
 * approving it does to the stay's end and to those waiting for a place there.
 */
export function DecisionBasis({ view, audit }: { view: PathwayView; audit: readonly AuditEntry[] }) {
  const { t, date } = useLang();
  const names = useDirectory();
  const h = view.handoff;
  const asked = view.stage === 'stay' ? view.stay.extensionRequest : null;
  if (!h && !asked) return null;
  // The handoff's note is in the entry that asked for it (the newest entries come with the page).
  const note = h ? [...audit].reverse().find((e) => e.at === h.requestedAt && typeof e.details?.note === 'string')?.details?.note : undefined;
  const consent = view.stage === 'outreach' ? view.consent : undefined;
  return (
    <section aria-labelledby="basis-title" className="card basis">
      <h2 id="basis-title">{t('decisionBasis')}</h2>
      {h && (
        <dl data-testid="handoff-basis">
          <dt>{t('handoffFrom')}</dt>
          <dd>
            {names.team(h.fromTeam)} · {names.staff(h.requestedBy)} · {date(h.requestedAt)}
          </dd>
          <dt>{t('note')}</dt>
          <dd>{typeof note === 'string' ? note : t('none')}</dd>
          {consent !== undefined && (
            <>
              <dt>{t('consent')}</dt>
              <dd>{consent ? `${consent.given ? t('consentYes') : t('consentNo')} · ${date(consent.at)}` : t('none')}</dd>
            </>
          )}
        </dl>
      )}
      {asked && (
        <dl data-testid="extension-basis">
          <dt>{t('extensionAsked')}</dt>
          <dd>{t('extensionDays', { days: asked.days, who: names.staff(asked.requestedBy), when: date(asked.requestedAt) })}</dd>
          <dt>{t('reason')}</dt>
          <dd>{asked.reason}</dd>
          {view.stage === 'stay' && <WaitlistEffect pathwayId={view.pathwayId} facilityId={view.stay.facilityId} endsAt={view.stay.endsAt} days={asked.days} />}
        </dl>
      )}
    </section>
  );
}

/** The stay's end if approved, and who on the facility's waitlist would wait longer for it. */
function WaitlistEffect({ pathwayId, facilityId, endsAt, days }: { pathwayId: string; facilityId: string; endsAt: number; days: number }) {
  const { t, date } = useLang();
  const [board, setBoard] = useState<OccupancyBoard | null>(null);
  useEffect(() => {
    let live = true;
    // Without the board (not shown to this reader, or not reachable) the end date is still said.
    api.facilities().then((all) => live && setBoard(all.find((b) => b.facilityId === facilityId) ?? null), () => {});
    return () => {
      live = false;
    };
  }, [facilityId]);
  const effect = board && extensionEffect(board, pathwayId, days);
  return (
    <>
      <dt>{t('ifApproved')}</dt>
      <dd data-testid="extension-effect">
        {t('stayWouldEnd', { date: date(endsAt + days * DAY) })}
        {effect && ' ' + (effect.later === 0 ? t('noOneWaitsLonger', { facility: facilityId }) : t('waitLonger', { later: effect.later, waiting: effect.waiting, facility: facilityId, days: effect.byDays }))}
      </dd>
    </>
  );
}
