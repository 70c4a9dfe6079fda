import { useState } from 'react';
import { flagNames, stages } from '../../../../machines';
import { api, type Me, type Summary } from '../api';
import { needsReader } from '../attention';
import { useDirectory } from '../directory';
import { Problem, useLang, useTitle } from '../i18n';
import { usePoll } from '../use-poll';
import { BulkReassign } from './BulkReassign';

type Sort = 'attention' | 'deadline' | 'waiting' | 'name';
const sorts: Record<Sort, (x: Summary, y: Summary) => number> = {
  // The server's order: flagged first, then the nearest deadline.
  attention: () => 0,
  deadline: (x, y) => (x.nextDeadline ?? Infinity) - (y.nextDeadline ?? Infinity),
  waiting: (x, y) => (x.stageEnteredAt ?? 0) - (y.stageEnteredAt ?? 0),
  name: (x, y) => (x.citizenName ?? x.pathwayId).localeCompare(y.citizenName ?? y.pathwayId),
};

/**
 * The caseload for 100+ cases: mine or my teams', filtered by stage and flag, searched by name or
 * reference (within what the list already holds: names live only in encrypted payloads), sorted,
 * and a citizen found by CPR number through the server's keyed hash. Supervisors choose rows to
 * reassign together.
 */
export function Caseload({ me }: { me: Me }) {
  const { t, name, due } = useLang();
  useTitle(t('caseload'));
  const [filter, setFilter] = useState({ stage: '', flag: '', mine: false });
  const query = Object.fromEntries(
    Object.entries({ stage: filter.stage, flag: filter.flag, coordinator: filter.mine ? me.id : '' }).filter(([, v]) => v),
  ) as Record<string, string>;
  const { data: all, error, reload } = usePoll(() => api.pathways(query), [filter.stage, filter.flag, filter.mine]);
  const names = useDirectory();
  const [text, setText] = useState('');
  const [sort, setSort] = useState<Sort>('attention');
  const [cpr, setCpr] = useState('');
  const [found, setFound] = useState<Summary[] | null>(null);
  const [searchError, setSearchError] = useState<Error | null>(null);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const bulk = me.role === 'supervisor';
  if (error) return <Problem error={error} title={t('caseload')} />;
  if (!all) return <p>{t('loading')}</p>;
  const needle = text.trim().toLowerCase();
  const data = (found ?? all)
    .filter((p) => !needle || [p.citizenName, p.citizenRef, p.pathwayId].some((s) => s?.toLowerCase().includes(needle)))
    .sort(sorts[sort]);
  const choose = (ids: string[], on: boolean) => setChosen(new Set(on ? [...chosen, ...ids] : [...chosen].filter((id) => !ids.includes(id))));
  return (
    <section aria-labelledby="caseload-title">
      <h1 id="caseload-title">{t('caseload')}</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('filters')}>
        <label htmlFor="filter-text">{t('search')}</label>
        <input id="filter-text" value={text} onChange={(e) => setText(e.target.value)} type="search" autoComplete="off" />
        <label htmlFor="filter-stage">{t('stage')}</label>
        <select id="filter-stage" value={filter.stage} onChange={(e) => setFilter({ ...filter, stage: e.target.value })}>
            <option value="">{t('all')}</option>
            {stages.filter((s) => s !== 'closed').map((s) => (
              <option key={s} value={s}>
                {name(s)}
              </option>
            ))}
        </select>
        <label htmlFor="filter-flag">{t('flags')}</label>
        <select id="filter-flag" value={filter.flag} onChange={(e) => setFilter({ ...filter, flag: e.target.value })}>
            <option value="">{t('all')}</option>
            {flagNames.map((f) => (
              <option key={f} value={f}>
                {name(f)}
              </option>
            ))}
        </select>
        <label>
          <input type="checkbox" checked={filter.mine} onChange={(e) => setFilter({ ...filter, mine: e.target.checked })} /> {t('mineOnly')}
        </label>
        <label htmlFor="filter-sort">{t('sortBy')}</label>
        <select id="filter-sort" value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            {(Object.keys(sorts) as Sort[]).map((s) => (
              <option key={s} value={s}>
                {t(`sort:${s}`)}
              </option>
            ))}
        </select>
      </form>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearchError(null);
          if (!cpr) return setFound(null);
          api.searchByCpr(cpr).then(setFound, (err: Error) => setSearchError(err));
        }}
      >
        <label htmlFor="cpr-search">{t('findByCpr')}</label> <input id="cpr-search" value={cpr} onChange={(e) => setCpr(e.target.value)} inputMode="numeric" autoComplete="off" />{' '}
        <button type="submit">{t('show')}</button>
      </form>
      {searchError && <Problem error={searchError} />}
      {data.length === 0 ? (
        <p>{t('empty')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              {bulk && (
                <th scope="col">
                  <input type="checkbox" aria-label={t('chooseAll')} checked={data.every((p) => chosen.has(p.pathwayId))} onChange={(e) => choose(data.map((p) => p.pathwayId), e.target.checked)} />
                </th>
              )}
              <th scope="col">{t('citizen')}</th>
              <th scope="col">{t('stage')}</th>
              <th scope="col">{t('team')}</th>
              <th scope="col">{t('coordinator')}</th>
              <th scope="col">{t('flags')}</th>
              <th scope="col">{t('nextDeadline')}</th>
            </tr>
          </thead>
          <tbody>
            {data.map((p) => (
              <tr key={p.pathwayId} className={needsReader(p, me) ? 'attention' : ''}>
                {bulk && (
                  <td>
                    <input type="checkbox" aria-label={`${t('choose')}: ${p.citizenName ?? p.pathwayId.slice(0, 8)}`} checked={chosen.has(p.pathwayId)} onChange={(e) => choose([p.pathwayId], e.target.checked)} />
                  </td>
                )}
                <td>
                  <a href={`#/pathways/${p.pathwayId}`}>{p.citizenName ?? `#${p.pathwayId.slice(0, 8)}`}</a>
                  {p.citizenName && <small> #{p.pathwayId.slice(0, 8)}</small>}
                </td>
                <td>{p.stage ? name(p.stage) : ''}</td>
                <td>{p.team ? names.team(p.team) : ''}</td>
                <td>{p.coordinator ? names.staff(p.coordinator) : ''}</td>
                <td>{p.flags.map((f) => <span key={f} className="flag">{name(f)}</span>)}</td>
                <td>{p.nextDeadline ? due(p.nextDeadline, p.nextDeadlineKind) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {bulk && chosen.size > 0 && <BulkReassign chosen={data.filter((p) => chosen.has(p.pathwayId))} me={me} onDone={() => void reload()} />}
    </section>
  );
}
