import { useMachine } from '@xstate/react';
import { stages, type Command } from '../../../../machines';
import { actionPanelMachine } from '../action-panel';
import { api } from '../api';
import { Problem, useLang } from '../i18n';
import { SchemaForm } from '../schema-form';
import { useFollow } from '../use-follow';

export function PathwayDetail({ id }: { id: string }) {
  const { t, name, date, countdown, refusal, where, problem } = useLang();
  const { data, error, reload, setData } = useFollow((after) => api.pathway(id, after), [id]);
  const [panel, sendPanel] = useMachine(actionPanelMachine);
  if (error) return <Problem error={error} />;
  if (!data) return <p>{t('loading')}</p>;
  const { view, audit } = data;

  const submit = (command: Command) => {
    sendPanel({ type: 'submit' });
    api.send(id, command, view.version).then(
      (r) => {
        setData({ view: r.view, audit });
        sendPanel({ type: 'done' });
        void reload();
      },
      (err: Error) => sendPanel({ type: 'failed', error: err }),
    );
  };
  const available = view.actions.filter((a) => a.available);
  // Actions of other stages are left out: only what could be done here, but not yet, is explained.
  const unavailable = view.actions.filter((a) => !a.available && a.code === 'conflict' && a.why.key !== 'not-possible-in-stage');

  return (
    <article aria-labelledby="pathway-title">
      <h1 id="pathway-title">
        {name(view.stage)} <small>#{view.pathwayId.slice(0, 8)}</small>
      </h1>
      <p className="where" data-testid="where">{t('whereNow', { where: where(view.where) })}</p>
      <ol className="timeline" aria-label={t('timeline')}>
        {stages.map((s) => (
          <li key={s} aria-current={s === view.stage ? 'step' : undefined} className={s === view.stage ? 'current' : ''}>
            {name(s)}
          </li>
        ))}
      </ol>
      <dl className="facts">
        <dt>{t('responsible')}</dt>
        <dd>{view.responsibleTeam}</dd>
        <dt>{t('coordinator')}</dt>
        <dd>{view.coordinator ?? t('none')}</dd>
        {view.stage === 'stay' && (
          <>
            <dt>{t('stayEnds')}</dt>
            <dd data-testid="stay-ends">
              {date(view.stay.endsAt)} ({countdown(view.stay.endsAt)}) · {t('day')} {view.stay.day}
            </dd>
          </>
        )}
        <dt>{t('flags')}</dt>
        <dd>{view.flags.length ? view.flags.map((f) => <span key={f} className="flag">{name(f)}</span>) : t('none')}</dd>
      </dl>

      <section aria-labelledby="deadlines-title">
        <h2 id="deadlines-title">{t('deadlines')}</h2>
        <ul>
          {view.deadlines.map((d) => (
            <li key={`${d.kind}-${d.at}`} className={d.passed ? 'passed' : ''}>
              {name(d.kind)}: {date(d.at)} ({d.passed ? t('passed') : countdown(d.at)})
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="actions-title">
        <h2 id="actions-title">{t('actions')}</h2>
        <div className="actions">
          {available.map((a) => (
            <button key={a.type} type="button" data-action={a.type} onClick={() => sendPanel({ type: 'open', command: a.type })}>
              {name(a.type)}
            </button>
          ))}
        </div>
        {panel.context.type && (
          <SchemaForm
            key={panel.context.type}
            type={panel.context.type}
            busy={panel.matches('sending')}
            error={panel.context.error && problem(panel.context.error)}
            onSubmit={submit}
            onCancel={() => sendPanel({ type: 'close' })}
          />
        )}
        {unavailable.length > 0 && (
          <details>
            <summary>{t('unavailable')}</summary>
            <ul>
              {unavailable.map((a) => !a.available && <li key={a.type}>{name(a.type)}: {refusal(a.why)}</li>)}
            </ul>
          </details>
        )}
      </section>

      <section aria-labelledby="audit-title">
        <h2 id="audit-title">{t('audit')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('who')}</th>
              <th scope="col">{t('what')}</th>
            </tr>
          </thead>
          <tbody>
            {[...audit].reverse().map((e) => (
              <tr key={e.seq}>
                <td>{date(e.at)}</td>
                <td>{e.by.id} ({e.by.role})</td>
                <td>{name(e.type)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}
