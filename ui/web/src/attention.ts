/**
 * Whether a caseload row is marked for its reader's attention: a flag they have to act on. A
 * handoff they sent waits for the other team and a hospital stay is news, not a task; a handoff
 * to one of their teams is theirs.
 */
export const needsReader = (p: { flags: readonly string[]; handoffTo: string | null }, me: { teams: readonly string[] }) =>
  p.flags.some((f) => f !== 'handoff-pending' && f !== 'hospital-admitted') || (p.handoffTo !== null && me.teams.includes(p.handoffTo));
