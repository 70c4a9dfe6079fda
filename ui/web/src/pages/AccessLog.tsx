import { useEffect, useState } from 'react';
import { api, type AccessEntry, type AccessPage } from '../api';
import { Problem, useLang, useTitle } from '../i18n';

/** Pages of access-log entries, oldest first, with "show more"; `load` fetches the page after an entry id. */
function Entries({ load, showPathway }: { load: (after: number) => Promise<AccessPage>; showPathway: boolean }) {
  const { t, name, date, problem } = useLang();
  const [entries, setEntries] = useState<AccessEntry[]>([]);
  const [next, setNext] = useState<number | null>(0);
  const [error, setError] = useState<Error | null>(null);
  const more = (after: number, into: AccessEntry[]) =>
    load(after).then(
      (page) => (setEntries([...into, ...page.entries]), setNext(page.next)),
      (err: Error) => setError(err),
    );
  useEffect(() => {
    setEntries([]);
    setError(null);
    void more(0, []);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load]);
  if (error) return <p role="alert" className="error">{problem(error)}</p>;
  return (
    <>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('when')}</th>
            <th scope="col">{t('who')}</th>
            <th scope="col">{t('what')}</th>
            {showPathway && <th scope="col">{t('pathway')}</th>}
            <th scope="col">{t('outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{date(e.at)}</td>
              <td>
                {e.actor.id} ({name(e.actor.role)}{e.actor.teams.length > 0 ? `, ${e.actor.teams.join(', ')}` : ''})
              </td>
              <td>{name(e.action)}{typeof e.details.command === 'string' ? `: ${name(e.details.command)}` : ''}</td>
              {showPathway && <td>{e.pathwayId ? `#${e.pathwayId.slice(0, 8)}` : ''}</td>}
              <td>{name(`outcome:${e.outcome}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.length === 0 && <p>{t('empty')}</p>}
      {next !== null && entries.length > 0 && (
        <button type="button" onClick={() => void more(next, entries)}>
          {t('showMore')}
        </button>
      )}
    </>
  );
}

/** Who read or acted on one case: for its supervisors, and the privacy officer answering a citizen's access request. */
export function CaseAccessLog({ id }: { id: string }) {
  const { t } = useLang();
  useTitle(t('accessLog'));
  const [load] = useState(() => (after: number) => api.caseAccessLog(id, after));
  return (
    <section aria-labelledby="access-title">
      <h1 id="access-title">
        {t('accessLog')} <small>#{id.slice(0, 8)}</small>
      </h1>
      <p>
        <a href={`#/pathways/${id}`}>{t('backToPathway')}</a> · <a href={api.caseAccessLogUrl(id, 'csv')}>{t('downloadCsv')}</a> ·{' '}
        <a href={api.caseAccessLogUrl(id, 'json')}>{t('downloadJson')}</a>
      </p>
      <Entries load={load} showPathway={false} />
    </section>
  );
}

/** The privacy officer's page: the whole log or one person's entries, a case's log by its id, and the chain check. */
export function AccessLogSearch() {
  const { t } = useLang();
  useTitle(t('accessLog'));
  const [actor, setActor] = useState('');
  const [load, setLoad] = useState(() => (after: number) => api.accessLog({ after }));
  const [pathway, setPathway] = useState('');
  const [check, setCheck] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const verify = () =>
    api.verifyAccessLog().then(
      (r) => setCheck(r.broken ? t('chainBroken', { id: r.broken.id }) : t('chainIntact')),
      (err: Error) => setError(err),
    );
  return (
    <section aria-labelledby="access-title">
      <h1 id="access-title">{t('accessLog')}</h1>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (pathway) location.hash = `#/pathways/${pathway}/access-log`;
        }}
      >
        <label htmlFor="access-pathway">{t('pathwayId')}</label> <input id="access-pathway" value={pathway} onChange={(e) => setPathway(e.target.value.trim())} />{' '}
        <button type="submit">{t('show')}</button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setLoad(() => (after: number) => api.accessLog({ actor, after }));
        }}
      >
        <label htmlFor="access-actor">{t('staffId')}</label> <input id="access-actor" value={actor} onChange={(e) => setActor(e.target.value.trim())} />{' '}
        <button type="submit">{t('show')}</button>
      </form>
      <p>
        <button type="button" onClick={() => void verify()}>
          {t('verifyChain')}
        </button>{' '}
        {check && <span role="status">{check}</span>}
      </p>
      {error && <Problem error={error} />}
      <Entries load={load} showPathway={true} />
    </section>
  );
}
