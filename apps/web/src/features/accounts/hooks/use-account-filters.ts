import { useCallback, useLayoutEffect, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';
import type { ColumnSort } from '../../../components/table/sorting';
import { SORT_KEYS, type AccountFilters, type SortKey } from './account-rows';

const DEFAULTS: AccountFilters = {
  search: '',
  twoFactor: '',
  owner: '',
  suspended: '',
  resellers: '',
  sort: 'user',
  dir: 'asc',
};

/** URL names of the filters: a view can be bookmarked and shared. */
const PARAM: Record<keyof AccountFilters, string> = {
  search: 'q',
  twoFactor: 'tfa',
  owner: 'owner',
  suspended: 'suspended',
  resellers: 'resellers',
  sort: 'sort',
  dir: 'dir',
};

function oneOf<T extends string>(value: string | null, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export function useAccountFilters() {
  const [params, setParams] = useSearchParams();

  const filters = useMemo<AccountFilters>(
    () => ({
      search: params.get(PARAM.search) ?? '',
      twoFactor: oneOf(params.get(PARAM.twoFactor), ['on', 'off', 'unavailable'] as const, ''),
      owner: params.get(PARAM.owner) ?? '',
      suspended: oneOf(params.get(PARAM.suspended), ['yes', 'no'] as const, ''),
      resellers: oneOf(params.get(PARAM.resellers), ['only'] as const, ''),
      sort: oneOf<SortKey>(params.get(PARAM.sort), SORT_KEYS, 'user'),
      dir: oneOf(params.get(PARAM.dir), ['asc', 'desc'] as const, 'asc'),
    }),
    [params],
  );

  // `update` stays the same function across keystrokes, so memoized parts (coverage, owner box)
  // do not re-render while typing; it calls the router's latest setter.
  const latestSetParams = useRef(setParams);
  useLayoutEffect(() => {
    latestSetParams.current = setParams;
  });

  const update = useCallback((changes: Partial<AccountFilters>) => {
    latestSetParams.current(
      (current) => {
        const next = new URLSearchParams(current);
        for (const [key, value] of Object.entries(changes) as [keyof AccountFilters, string][]) {
          if (value === DEFAULTS[key]) next.delete(PARAM[key]);
          else next.set(PARAM[key], value);
        }
        return next;
      },
      { replace: true },
    );
  }, []);

  /** The order a header click chose (the table's one-column rules decide which). */
  const sortBy = useCallback(
    (sort: ColumnSort<SortKey>) => update({ sort: sort.key, dir: sort.dir }),
    [update],
  );

  /** Every filter back to "any"; the sort stays. */
  const clear = useCallback(() => {
    update({ search: '', twoFactor: '', owner: '', suspended: '', resellers: '' });
  }, [update]);

  return { filters, update, sortBy, clear };
}
