import type { Account } from '@console/whm-api';
import type { FeatureList, SimState } from './state.js';

/** The feature names this server knows (a real one knows ~150; these are enough to be realistic). */
export const FEATURE_NAMES = [
  'addondomains',
  'backup',
  'boxtrapper',
  'cron',
  'filemanager',
  'ftpaccts',
  'popaccts',
  'sslmanager',
  'ssh',
  'twofactorauth',
  'webmail',
  'zoneedit',
] as const;

export const DEFAULT_LIST = 'default';
export const DISABLED_LIST = 'disabled';

/** Feature lists without `_` are global; `RESELLER_name` belongs to that reseller. */
export function featureListAccessible(name: string, caller: { user: string; isRoot: boolean }) {
  return caller.isRoot || name.startsWith(`${caller.user}_`);
}

/**
 * Whether an account on `featurelist` has `feature`, as cPanel works it out
 * (`Cpanel/Features/Cpanel.pm` populate): `default` can only turn features off, then the account's
 * own list decides (`1` on, anything else off), then `disabled` turns off what it lists, for every
 * account. A feature no list mentions is on.
 */
export function featureEnabled(state: SimState, featurelist: string, feature: string): boolean {
  const disabler = (list: FeatureList | undefined, value: string | undefined) => {
    const entry = list?.[feature];
    return entry !== undefined && entry !== '1' && entry !== '' ? entry : value;
  };
  let value = disabler(state.featureLists[DEFAULT_LIST], undefined);
  const own = state.featureLists[featurelist]?.[feature];
  if (own !== undefined) value = own === '1' ? undefined : own;
  value = disabler(state.featureLists[DISABLED_LIST], value);
  return value === undefined;
}

/** The account's feature list is its package's (`FEATURELIST`, `default` when unset). */
export function accountHasFeature(state: SimState, acct: Account, feature: string): boolean {
  const featurelist = state.packages[acct.plan]?.FEATURELIST ?? DEFAULT_LIST;
  return featureEnabled(state, featurelist, feature);
}

/**
 * `get_featurelist_data`'s rows (`Cpanel/Features.pm` get_featurelist_information): every known
 * feature, `value` the list's entry or `1`, `is_disabled` `1` when the `disabled` list names it
 * (never for `disabled` itself).
 */
export function featureListRows(state: SimState, name: string) {
  const list = state.featureLists[name] ?? {};
  const disabled = name === DISABLED_LIST ? {} : (state.featureLists[DISABLED_LIST] ?? {});
  return FEATURE_NAMES.map((id) => ({
    id,
    is_disabled: Object.hasOwn(disabled, id) ? '1' : '0',
    value: list[id] ?? '1',
  }));
}
