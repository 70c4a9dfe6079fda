/** A horizontal bar with its value written out, so the chart reads without colour or sight. */
export function Bar({ label, value, max, text, warn = false }: { label: string; value: number; max: number; text: string; warn?: boolean }) {
  return (
    <li className="bar">
      <span className="bar-label">{label}</span>
      <span className="bar-track" aria-hidden="true">
        <span className={warn ? 'bar-fill warn' : 'bar-fill'} style={{ width: `${max > 0 ? Math.min(100, (value / max) * 100) : 0}%` }} />
      </span>
      <span className="bar-value">{text}</span>
    </li>
  );
}
