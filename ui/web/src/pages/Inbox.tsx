import { api, type InboxItem } from '../api';
import { useDirectory } from '../directory';
import { Problem, useLang, useTitle } from '../i18n';
import { usePoll } from '../use-poll';

/** Where an item leads: the case, with the action that answers it already open. */
export const answerHref = (i: Pick<InboxItem, 'pathwayId' | 'answer'>) => `#/pathways/${i.pathwayId}${i.answer ? `/act/${i.answer}` : ''}`;

/** "Needs me": incoming handoffs, extension requests, flagged cases I coordinate; one click opens the answer. */
export function Inbox() {
  const { t, name, date, countdown } = useLang();
  useTitle(t('inbox'));
  const { data, error } = usePoll(() => api.inbox(), []);
  const names = useDirectory();
  if (error) return <Problem error={error} title={t('inbox')} />;
  if (!data) return <p>{t('loading')}</p>;
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inbox')}</h1>
      {data.items.length === 0 && <p>{t('inboxEmpty')}</p>}
      <ul className="inbox">
        {data.items.map((i) => (
          <li key={`${i.kind}-${i.pathwayId}`} data-kind={i.kind}>
            <a href={answerHref(i)}>
              {t(`inbox:${i.kind}`)}: {i.citizenName ?? `#${i.pathwayId.slice(0, 8)}`}
            </a>{' '}
            · {i.stage ? name(i.stage) : ''} · {i.team ? names.team(i.team) : ''}
            {i.kind === 'handoff' && i.handoffAt !== null && <> · {t('sentAt', { when: `${countdown(i.handoffAt)} (${date(i.handoffAt)})` })}</>}
            {i.kind !== 'handoff' && i.nextDeadline !== null && <> · {t('nextDeadline')}: {countdown(i.nextDeadline)}</>}
            {i.flags.length > 0 && <> {i.flags.map((f) => <span key={f} className="flag">{name(f)}</span>)}</>}
          </li>
        ))}
      </ul>
    </section>
  );
}
