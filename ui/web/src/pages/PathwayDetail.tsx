import { useMachine } from '@xstate/react';
import { useEffect, useRef, useState } from 'react';
import { stages, type Command, type CommandType, type PathwayView } from '../../../../machines';
import { actionPanelMachine } from '../action-panel';
import { api, ApiError, type PathwayPage } from '../api';
import { Problem, useLang, useTitle } from '../i18n';
import { SchemaForm } from '../schema-form';
import { useFollow } from '../use-follow';
import { useDirectory } from '../directory';
import { AuditTrail } from './AuditTrail';
import { DecisionBasis } from './DecisionBasis';
import { Circle, circlePicks, usePartners } from './Circle';
import { RecoveryPlan, SafetyMarker } from './RecoveryPlan';

/** `accessLog`: the reader may see who read and acted on the case (its supervisors); `open`: an action whose form opens at once (from the inbox). */
export function PathwayDetail({ id, accessLog = false, open }: { id: string; accessLog?: boolean; open?: CommandType }) {
  const { t, name, date, countdown, refusal, where, problem } = useLang();
  const { data, error, reload, setData } = useFollow((after) => api.pathway(id, after), [id]);
  const [panel, sendPanel] = useMachine(actionPanelMachine);
  const names = useDirectory();
  const partners = usePartners();
  const opened = useRef(false);
  /** The last action done here, said in a live region that takes the focus. */
  const [done, setDone] = useState<CommandType | null>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);
  useTitle(data?.view?.citizenName ?? (data?.view ? name(data.view.stage) : t('pathway')));
  const canOpen = open !== undefined && data?.view?.actions.some((a) => a.type === open && a.available);
  useEffect(() => {
    if (!canOpen || opened.current) return;
    opened.current = true;
    sendPanel({ type: 'open', command: open! });
  }, [canOpen, open, sendPanel]);
  if (error) return <Problem error={error} title={t('pathway')} />;
  if (!data) return <p>{t('loading')}</p>;
  if (data.view === null) return <ClosedPathway page={data} />;
  const { view, audit } = data;

  const submit = (command: Command) => {
    sendPanel({ type: 'submit' });
    setDone(null);
    api.send(id, command, view.version).then(
      (r) => {
        setData({ view: r.view, audit, auditOlder: data.auditOlder });
        sendPanel({ type: 'done' });
        setDone(command.type);
        void reload();
      },
      (err: Error) => sendPanel({ type: 'failed', error: err }),
    );
  };
  const available = view.actions.filter((a) => a.available);
  const openWith = (command: CommandType, initial?: Record<string, string>) => sendPanel({ type: 'open', command, ...(initial ? { initial } : {}) });
  // The view lists this stage's actions only; of those, what could be done here but not yet is explained.
  const unavailable = view.actions.filter((a) => !a.available && a.code === 'conflict');

  return (
    <article aria-labelledby="pathway-title">
      <h1 id="pathway-title">
        {view.citizenName ?? name(view.stage)} <small>#{view.pathwayId.slice(0, 8)}</small>
      </h1>
      {view.citizenName && (
        <p data-testid="stage">
          {name(view.stage)} · {view.citizenRef}
        </p>
      )}
      <p className="where" data-testid="where">{t('whereNow', { where: where(view.where) })}</p>
      <SafetyMarker view={view} names={names} />
      {accessLog && (
        <p>
          <a href={`#/pathways/${id}/access-log`}>{t('accessLog')}</a>
        </p>
      )}
      <ol className="timeline" aria-label={t('timeline')}>
        {stages.map((s) => (
          <li key={s} aria-current={s === view.stage ? 'step' : undefined} className={s === view.stage ? 'current' : ''}>
            {name(s)}
          </li>
        ))}
      </ol>
      <dl className="facts">
        <dt>{t('responsible')}</dt>
        <dd>{names.team(view.responsibleTeam)}</dd>
        <dt>{t('coordinator')}</dt>
        <dd>{view.coordinator ? names.staff(view.coordinator) : t('none')}</dd>
        {view.stage === 'stay' && (
          <>
            <dt>{t('stayEnds')}</dt>
            <dd data-testid="stay-ends">
              {date(view.stay.endsAt)} ({countdown(view.stay.endsAt)}) · {t('day')} {view.stay.day}
            </dd>
          </>
        )}
        {view.stage === 'outreach' && (
          <>
            <dt>{t('consent')}</dt>
            <dd>{view.consent ? `${view.consent.given ? t('consentYes') : t('consentNo')} · ${date(view.consent.at)}` : t('none')}</dd>
            <dt>{t('lastContact')}</dt>
            <dd>{view.lastContactAt ? date(view.lastContactAt) : t('none')}</dd>
          </>
        )}
        {(view.stage === 'waiting' || view.stage === 'stay') && (
          <>
            <dt>{name('facilityId')}</dt>
            <dd>{(view.stage === 'stay' ? view.stay.facilityId : view.facilityId) ?? t('none')}</dd>
          </>
        )}
        {view.stage === 'closed' && (
          <>
            <dt>{t('closureReason')}</dt>
            <dd>{name(view.closure.reason)}</dd>
          </>
        )}
        <dt>{t('flags')}</dt>
        <dd>{view.flags.length ? view.flags.map((f) => <span key={f} className="flag">{name(f)}</span>) : t('none')}</dd>
      </dl>

      <RecoveryPlan view={view} act={openWith} />
      <Circle view={view} act={openWith} people={names} partners={partners} />

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

      <p role="status" className="done" ref={doneRef} tabIndex={-1}>
        {done && t('actionDone', { action: name(done) })}
      </p>

      <DecisionBasis view={view} audit={audit} />

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
            key={`${panel.context.type}:${JSON.stringify(panel.context.initial ?? {})}`}
            type={panel.context.type}
            picks={{ goalId: view.goals.filter((g) => !g.closed).map((g) => ({ value: g.id, label: g.text })), ...circlePicks(view, names, partners) }}
            busy={panel.matches('sending')}
            error={panel.context.error && problem(panel.context.error, names)}
            {...initialFor(panel.context.type, view, panel.context.initial)}
            {...(panel.context.error instanceof ApiError && panel.context.error.code === 'stale-version'
              ? { reload: () => void reload().then(() => sendPanel({ type: 'clear' })) }
              : {})}
            onSubmit={submit}
            onCancel={() => sendPanel({ type: 'close' })}
          />
        )}
        {/* Said up front, not folded away: what must happen before these become possible. */}
        {unavailable.length > 0 && (
          <div className="unavailable" data-testid="unavailable">
            <h3>{t('unavailable')}</h3>
            <ul>
              {unavailable.map((a) => !a.available && <li key={a.type}>{name(a.type)}: {refusal(a.why, names)}</li>)}
            </ul>
          </div>
        )}
      </section>

      <AuditTrail id={id} newest={audit} older={data.auditOlder} />
    </article>
  );
}

/** What a form starts with: approving an extension shows the days asked for, rather than implying them; a goal's button names its goal. */
function initialFor(type: CommandType, view: PathwayView, given?: Record<string, string>): { initial?: Record<string, string> } {
  const asked = view.stage === 'stay' ? view.stay.extensionRequest : null;
  if (type === 'extension.approve' && asked) return { initial: { days: String(asked.days), ...given } };
  return given ? { initial: given } : {};
}

/** A closed pathway Temporal no longer has, read-only from its record. */
function ClosedPathway({ page }: { page: Extract<PathwayPage, { view: null }> }) {
  const { t, name, date } = useLang();
  const { record } = page;
  return (
    <article aria-labelledby="pathway-title" data-testid="closed-record">
      <h1 id="pathway-title">
        {name('closed')} <small>#{record.pathwayId.slice(0, 8)}</small>
      </h1>
      <p className="where">{t('closedRecord')}</p>
      <dl className="facts">
        <dt>{t('responsible')}</dt>
        <dd>{record.team}</dd>
        <dt>{t('opened')}</dt>
        <dd>{date(record.openedAt)}</dd>
        <dt>{t('closedAt')}</dt>
        <dd>{record.closedAt === null ? t('none') : date(record.closedAt)}</dd>
        <dt>{t('closureReason')}</dt>
        <dd>{record.closureReason ? name(record.closureReason) : t('none')}</dd>
      </dl>
      <ol className="timeline" aria-label={t('timeline')}>
        {record.history.stages.map((s) => (
          <li key={`${s.stage}-${s.enteredAt}`}>
            {name(s.stage)}: {date(s.enteredAt)}
            {s.leftAt !== null && <> – {date(s.leftAt)}</>}
          </li>
        ))}
      </ol>
      <AuditTrail id={record.pathwayId} newest={page.audit} older={page.auditOlder} />
    </article>
  );
}
