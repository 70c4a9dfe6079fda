/** One CSV cell: quoted when it holds a comma, quote or line break; text that a spreadsheet would run as a formula is kept text. */
export function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = typeof v === 'string' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document: a header line and one line per row, each ending in a newline. */
export const csv = (header: readonly string[], rows: readonly (readonly (string | number | null)[])[]) =>
  [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
