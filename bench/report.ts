/** The bench's results: rows with their baselines and targets, printed as a table and kept as JSON. */

export interface Row {
  section: string;
  measure: string;
  value: number;
  unit: string;
  /** Which way is good: throughput is `higher`, latency and memory `lower`. */
  better: 'higher' | 'lower';
  /** The figure this one is set against, measured in the same run on the same server. */
  baseline?: { label: string; value: number };
  /** The target for value / baseline (at least for `higher`, at most for `lower`). */
  target?: number;
  /** An absolute bound on the value itself (at most), where no ratio makes sense. */
  limit?: number;
  note?: string;
}

export interface Judged extends Row {
  ratio?: number;
  met?: boolean;
}

export function judge(row: Row): Judged {
  const ratio = row.baseline && row.baseline.value !== 0 ? row.value / row.baseline.value : undefined;
  let met: boolean | undefined;
  if (row.target !== undefined && ratio !== undefined) met = row.better === 'higher' ? ratio >= row.target : ratio <= row.target;
  if (row.limit !== undefined) met = (met ?? true) && row.value <= row.limit;
  return { ...row, ...(ratio === undefined ? {} : { ratio }), ...(met === undefined ? {} : { met }) };
}

const num = (x: number) =>
  !Number.isFinite(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2);

function targetText(r: Judged): string {
  const parts: string[] = [];
  if (r.target !== undefined) parts.push(`${r.better === 'higher' ? '≥' : '≤'} ${r.target}×`);
  if (r.limit !== undefined) parts.push(`≤ ${r.limit} ${r.unit}`);
  return parts.join(', ');
}

/** A Markdown table, so the README can take it as it is. */
export function table(rows: Judged[]): string {
  const head = ['section', 'measure', 'value', 'baseline', 'ratio', 'target', 'met'];
  const lines = rows.map((r) => [
    r.section,
    r.measure,
    `${num(r.value)} ${r.unit}`,
    r.baseline ? `${num(r.baseline.value)} ${r.unit} (${r.baseline.label})` : '',
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    targetText(r),
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [row(head), row(head.map(() => '---')), ...lines.map(row)].join('\n');
}
