/** 0.3812 → "38%"; a missing fraction (no account can have 2FA) → "—". */
export function formatPercent(fraction: number | null): string {
  return fraction === null ? '—' : `${Math.round(fraction * 100)}%`;
}
