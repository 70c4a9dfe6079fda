import { useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { commandSchemas, type Command, type CommandType } from '../../../machines';
import { api } from './api';
import { useLang } from './i18n';
import { errorText } from './messages';

/** A form field derived from an event schema: the engine's own schema decides what is asked. */
type Field = { name: string; optional: boolean } & ({ kind: 'text' | 'number' | 'boolean' | 'team' | 'facility' | 'moment' } | { kind: 'choice'; options: string[] });

/** Fields that name a registered team or facility: picked from the registry, never typed. */
const registryKind: Record<string, 'team' | 'facility'> = { toTeam: 'team', facilityId: 'facility' };

/** The registry's active teams and facilities, as picker options (value: id, label: name). */
function useRegistry(fields: Field[]) {
  const [options, setOptions] = useState<{ team: { id: string; name: string }[]; facility: { id: string; name: string }[] }>({ team: [], facility: [] });
  const needs = fields.some((f) => f.kind === 'team' || f.kind === 'facility');
  useEffect(() => {
    if (!needs) return;
    let live = true;
    Promise.all([api.teams(), api.registryFacilities()]).then(
      ([team, facility]) => live && setOptions({ team: team.filter((t) => t.active !== false), facility: facility.filter((f) => f.active) }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [needs]);
  return options;
}

function fieldsOf(type: CommandType): Field[] {
  const shape = commandSchemas[type].shape as Record<string, z.ZodType>;
  return Object.entries(shape).flatMap(([name, schema]): Field[] => {
    if (name === 'type') return [];
    let inner = schema;
    const optional = inner.def.type === 'optional';
    const registry = registryKind[name];
    if (registry) return [{ name, optional, kind: registry }];
    if (optional) inner = (inner.def as unknown as { innerType: z.ZodType }).innerType;
    switch (inner.def.type) {
      case 'enum':
        return [{ name, optional, kind: 'choice', options: (inner as unknown as { options: string[] }).options }];
      case 'boolean':
        return [{ name, optional, kind: 'boolean' }];
      case 'number':
        // A time (`contactedAt`): picked as a local date and time, sent as epoch milliseconds.
        return [{ name, optional, kind: name.endsWith('At') ? 'moment' : 'number' }];
      default:
        return [{ name, optional, kind: 'text' }];
    }
  });
}

/** Actions that cannot be undone: sent only after a summary is confirmed. */
export const irreversible: readonly CommandType[] = ['pathway.close', 'handoff.reject', 'discharge.request', 'extension.decline'];

/** Free text a person writes at length: given room for several lines. */
const prose = new Set(['note', 'text', 'reason', 'goal', 'steps', 'precautions']);

/**
 * `initial`: values the form starts with, shown rather than implied (the days an extension asked
 * for); `reload`: offered after a 409 for a pathway that changed meanwhile: the page reloads and
 * the form keeps what was typed.
 */
export function SchemaForm(props: {
  type: CommandType;
  busy: boolean;
  error: string | null;
  initial?: Record<string, string | boolean>;
  /** Fields picked from what the pathway holds (its open goals), value and label. */
  picks?: Record<string, { value: string; label: string }[]>;
  reload?: () => void;
  onSubmit: (c: Command) => void;
  onCancel: () => void;
}) {
  const { t, name, lang, date } = useLang();
  const fields = fieldsOf(props.type);
  const registry = useRegistry(fields);
  const [values, setValues] = useState<Record<string, string | boolean>>(props.initial ?? {});
  const [invalid, setInvalid] = useState<string | null>(null);
  /** A parsed command waiting for its confirmation (irreversible actions only). */
  const [confirming, setConfirming] = useState<Command | null>(null);
  const form = useRef<HTMLFormElement>(null);
  // Focus goes into the form as it opens, so keyboard and screen-reader users start where the work is.
  useEffect(() => form.current?.querySelector<HTMLElement>('input, select, textarea, button')?.focus(), []);
  useEffect(() => {
    if (confirming) form.current?.querySelector<HTMLElement>('[data-confirm]')?.focus();
  }, [confirming]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const raw: Record<string, unknown> = { type: props.type };
    for (const f of fields) {
      const v = values[f.name];
      if (f.kind === 'boolean') raw[f.name] = v === true;
      else if (v !== undefined && v !== '') raw[f.name] = f.kind === 'number' ? Number(v) : f.kind === 'moment' ? new Date(String(v)).getTime() : v;
    }
    // The same schema the engine validates with: mistakes are caught before the request.
    const parsed = commandSchemas[props.type].safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      // Translated by field, as the server's `invalid-request` is: zod's own text is English.
      return setInvalid(errorText(lang, { error: issue?.message ?? '', code: 'invalid-request', params: { field: String(issue?.path[0] ?? '') } }, name));
    }
    setInvalid(null);
    if (irreversible.includes(props.type) && !confirming) return setConfirming(parsed.data as Command);
    props.onSubmit(parsed.data as Command);
  };
  const shown = (f: Field, v: string | boolean | undefined) =>
    f.kind === 'boolean'
      ? v === true
        ? t('yes')
        : t('no')
      : f.kind === 'choice' && typeof v === 'string'
        ? name(v)
        : f.kind === 'moment' && typeof v === 'string'
          ? date(new Date(v).getTime())
          : String(v ?? '');

  if (confirming) {
    return (
      <form ref={form} className="action-form confirm" onSubmit={submit} aria-label={name(props.type)}>
        <h3>{t('confirmTitle', { action: name(props.type) })}</h3>
        <dl>
          {fields
            .filter((f) => values[f.name] !== undefined && values[f.name] !== '')
            .map((f) => (
              <div key={f.name}>
                <dt>{name(f.name)}</dt>
                <dd>{shown(f, values[f.name])}</dd>
              </div>
            ))}
        </dl>
        <p>{t('cannotUndo')}</p>
        {props.error && (
          <p role="alert" className="error">
            {props.error}
          </p>
        )}
        <button type="submit" className="danger" data-confirm disabled={props.busy}>
          {t('confirmAction', { action: name(props.type) })}
        </button>{' '}
        <button type="button" onClick={() => setConfirming(null)}>
          {t('goBack')}
        </button>
      </form>
    );
  }

  const id = (f: Field) => `field-${props.type}-${f.name}`;
  return (
    <form ref={form} className="action-form" onSubmit={submit} aria-label={name(props.type)}>
      <h3>{name(props.type)}</h3>
      {fields.map((f) => (
        <div className="field" key={f.name}>
          <label htmlFor={id(f)}>
            {name(f.name)}
            {f.optional ? '' : ' *'}
          </label>
          {props.picks?.[f.name] ? (
            <select id={id(f)} required={!f.optional} value={String(values[f.name] ?? '')} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
              <option value="">—</option>
              {props.picks[f.name]!.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : f.kind === 'team' || f.kind === 'facility' ? (
            <select id={id(f)} required={!f.optional} value={String(values[f.name] ?? '')} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
              <option value="">—</option>
              {registry[f.kind].map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name === o.id ? o.id : `${o.name} (${o.id})`}
                </option>
              ))}
            </select>
          ) : f.kind === 'choice' ? (
            <select id={id(f)} required={!f.optional} value={String(values[f.name] ?? '')} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}>
              <option value="">—</option>
              {f.options.map((o) => (
                <option key={o} value={o}>
                  {name(o)}
                </option>
              ))}
            </select>
          ) : f.kind === 'boolean' ? (
            <input id={id(f)} type="checkbox" checked={values[f.name] === true} onChange={(e) => setValues({ ...values, [f.name]: e.target.checked })} />
          ) : f.kind === 'text' && prose.has(f.name) ? (
            <textarea id={id(f)} rows={3} required={!f.optional} value={String(values[f.name] ?? '')} onChange={(e) => setValues({ ...values, [f.name]: e.target.value })} />
          ) : (
            <input
              id={id(f)}
              type={f.kind === 'number' ? 'number' : f.kind === 'moment' ? 'datetime-local' : 'text'}
              required={!f.optional}
              value={String(values[f.name] ?? '')}
              onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
            />
          )}
        </div>
      ))}
      {(invalid ?? props.error) && (
        <p role="alert" className="error">
          {invalid ?? props.error}
        </p>
      )}
      {props.reload && (
        <button type="button" onClick={props.reload}>
          {t('reloadKeepText')}
        </button>
      )}
      <button type="submit" className={irreversible.includes(props.type) ? 'danger' : undefined} disabled={props.busy}>
        {name(props.type)}
      </button>{' '}
      <button type="button" onClick={props.onCancel}>
        {t('cancel')}
      </button>
    </form>
  );
}
