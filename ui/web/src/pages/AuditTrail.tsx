import { useState } from 'react';
import type { AuditEntry } from '../../../../machines';
import { api } from '../api';
import { useDirectory } from '../directory';
import { useLang } from '../i18n';

/**
 * A pathway's audit trail, newest first: the newest page comes with the pathway, older pages
 * from the record store on "show older".
 */
export function AuditTrail({ id, newest, older }: { id: string; newest: AuditEntry[]; older: boolean }) {
  const { t, name, date } = useLang();
  const names = useDirectory();
  const [earlier, setEarlier] = useState<{ entries: AuditEntry[]; older: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const first = earlier?.entries[0]?.seq ?? newest[0]?.seq;
  const more = earlier ? earlier.older : older;
  const showOlder = () => {
    if (first === undefined) return;
    setBusy(true);
    api.audit(id, first).then(
      (page) => setEarlier({ entries: [...page.entries, ...(earlier?.entries ?? [])], older: page.older }),
      () => undefined,
    ).finally(() => setBusy(false));
  };
  // Notes and reasons are read here, in the timeline; teams and facilities by name, choices in words.
  const describe = (d: AuditEntry['details']) =>
    Object.entries(d ?? {})
      .filter(([k]) => k !== 'flag')
      .map(([k, v]) => {
        const shown =
          k === 'team' || k === 'toTeam' || k === 'fromTeam'
            ? names.team(String(v))
            : k === 'coordinator' || k === 'peer'
              ? names.staff(String(v))
              : typeof v === 'boolean'
              ? t(v ? 'yes' : 'no')
              : k.endsWith('At') && typeof v === 'number'
                ? date(v)
                : name(String(v));
        return k === 'text' ? String(v) : `${name(k)}: ${shown}`;
      })
      .join(' · ');
  const newestSeq = newest[0]?.seq ?? Infinity;
  const shown = [...(earlier?.entries.filter((e) => e.seq < newestSeq) ?? []), ...newest].reverse();
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('audit')}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('when')}</th>
            <th scope="col">{t('who')}</th>
            <th scope="col">{t('what')}</th>
            <th scope="col">{t('details')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((e) => (
            <tr key={e.seq} data-seq={e.seq}>
              <td>{date(e.at)}</td>
              <td>{e.by.role === 'system' ? t('engine') : `${names.staff(e.by.id)} (${name(e.by.role)})`}</td>
              <td>{name(e.type)}</td>
              <td>{describe(e.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {more && (
        <button type="button" data-testid="show-older" disabled={busy} onClick={showOlder}>
          {t('showOlder')}
        </button>
      )}
    </section>
  );
}
