import { useState } from 'react';
import type { Command } from '../../../../machines';
import { api, type Me, type Summary } from '../api';
import { useDirectory } from '../directory';
import { useLang } from '../i18n';

type Outcome = { pathwayId: string; label: string; error: Error | null };

/**
 * A supervisor's bulk reassignment of the chosen pathways: to a coordinator of their teams, or
 * to another team. Each pathway gets its own action (an Update at the version read just before),
 * so the engine judges each as it would one by one; what it refused is said per pathway.
 */
export function BulkReassign({ chosen, me, onDone }: { chosen: Summary[]; me: Me; onDone: () => void }) {
  const { t, name, problem } = useLang();
  const names = useDirectory();
  const [how, setHow] = useState<'coordinator.assign' | 'pathway.reassign'>('coordinator.assign');
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[] | null>(null);
  const coordinators = names.people.filter((p) => p.role === 'coordinator' && p.teams.some((team) => me.teams.includes(team)));
  const command = (): Command => (how === 'coordinator.assign' ? { type: how, coordinator: to } : { type: how, toTeam: to, reason });

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const done: Outcome[] = [];
    for (const p of chosen) {
      const label = p.citizenName ?? `#${p.pathwayId.slice(0, 8)}`;
      try {
        const page = await api.pathway(p.pathwayId);
        if (!page.view) throw new Error(name('closed'));
        await api.send(p.pathwayId, command(), page.view.version);
        done.push({ pathwayId: p.pathwayId, label, error: null });
      } catch (err) {
        done.push({ pathwayId: p.pathwayId, label, error: err as Error });
      }
    }
    setOutcomes(done);
    setBusy(false);
    onDone();
  };

  return (
    <form className="action-form bulk" onSubmit={submit} aria-label={t('bulkTitle', { n: chosen.length })}>
      <h2>{t('bulkTitle', { n: chosen.length })}</h2>
      <div className="field">
        <label htmlFor="bulk-how">{t('what')}</label>
        <select id="bulk-how" value={how} onChange={(e) => (setHow(e.target.value as typeof how), setTo(''))}>
          <option value="coordinator.assign">{name('coordinator.assign')}</option>
          <option value="pathway.reassign">{name('pathway.reassign')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="bulk-to">{how === 'coordinator.assign' ? t('coordinator') : name('toTeam')} *</label>
        <select id="bulk-to" required value={to} onChange={(e) => setTo(e.target.value)}>
          <option value="">—</option>
          {(how === 'coordinator.assign' ? coordinators : names.teams).map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </div>
      {how === 'pathway.reassign' && (
        <div className="field">
          <label htmlFor="bulk-reason">{t('reason')} *</label>
          <textarea id="bulk-reason" rows={2} required value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      )}
      <button type="submit" disabled={busy || chosen.length === 0}>
        {how === 'coordinator.assign' ? name('coordinator.assign') : name('pathway.reassign')} ({chosen.length})
      </button>
      {outcomes && (
        <div role="status" data-testid="bulk-outcome">
          <p>{t('bulkDone', { ok: outcomes.filter((o) => !o.error).length, n: outcomes.length })}</p>
          <ul>
            {outcomes
              .filter((o) => o.error)
              .map((o) => (
                <li key={o.pathwayId} className="error">
                  {o.label}: {problem(o.error!, names)}
                </li>
              ))}
          </ul>
        </div>
      )}
    </form>
  );
}
