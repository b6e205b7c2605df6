import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { AuditFilters } from '../api/get-audit';

const KEYS = ['operator', 'function', 'outcome', 'kind', 'target', 'from', 'to'] as const;

/** The date filters are typed as ISO 8601 days, whatever the browser's locale. */
export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The audit filters live in the URL, so a filtered view can be shared and reloaded. */
export function useAuditFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(
    () =>
      Object.fromEntries(
        KEYS.map((key) => [key, params.get(key) ?? '']),
      ) as unknown as AuditFilters,
    [params],
  );
  const apply = useCallback(
    (next: AuditFilters) => {
      const search = new URLSearchParams();
      for (const key of KEYS) if (next[key]) search.set(key, next[key]);
      setParams(search);
    },
    [setParams],
  );
  return { filters, apply };
}

/** `YYYY-MM-DD` from a date field to the start (or end) of that day, local time, as ISO 8601. */
export function dayToInstant(day: string, end: boolean): string {
  if (!ISO_DAY.test(day)) return '';
  const [year, month, date] = day.split('-').map(Number);
  if (!year || !month || !date) return '';
  const instant = end
    ? new Date(year, month - 1, date, 23, 59, 59, 999)
    : new Date(year, month - 1, date, 0, 0, 0, 0);
  return instant.toISOString();
}

export function instantToDay(instant: string): string {
  if (!instant) return '';
  const at = new Date(instant);
  if (Number.isNaN(at.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
