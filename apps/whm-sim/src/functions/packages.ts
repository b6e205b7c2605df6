import { featureListReasons } from '@console/whm-api';
import { featureListAccessible, featureListRows } from '../features.js';
import { WhmFailure, type Handler } from './handler.js';

/** Global packages have no `_`; `RESELLER_name` belongs to that reseller. */
function packageVisible(name: string, caller: { user: string; isRoot: boolean }): boolean {
  return caller.isRoot || name.startsWith(`${caller.user}_`) || !name.includes('_');
}

/**
 * listpkgs: root sees every package; a reseller its own and the global ones (as with the
 * `viewglobalpackages` ACL, which the simulator gives every reseller). Records carry the package
 * file's keys with the defaults `load_package` fills in; `want` does not change what root sees.
 */
export const listpkgs: Handler = ({ store, caller }) => {
  const pkg = Object.keys(store.state.packages)
    .filter((name) => packageVisible(name, caller))
    .sort()
    .map((name) => {
      const stored = store.state.packages[name];
      return {
        name,
        BWLIMIT: stored?.BWLIMIT ?? 'unlimited',
        CGI: 'y',
        CPMOD: 'jupiter',
        DIGESTAUTH: 'n',
        FEATURELIST: stored?.FEATURELIST || 'default',
        HASSHELL: 'n',
        IP: 'n',
        LANG: 'en',
        QUOTA: stored?.QUOTA ?? 'unlimited',
      };
    });
  return { data: { pkg } };
};

/** get_featurelist_data: the checks in the order FeatureLists.pm makes them, then every feature's row. */
export const getFeaturelistData: Handler = ({ raw, store, caller }) => {
  const name = typeof raw.featurelist === 'string' ? raw.featurelist : '';
  if (name === '') throw new WhmFailure(featureListReasons.noName);
  if (!featureListAccessible(name, caller)) throw new WhmFailure(featureListReasons.noAccess(name));
  if (!Object.hasOwn(store.state.featureLists, name)) {
    throw new WhmFailure(featureListReasons.notFound(name));
  }
  return { data: { featurelist: name, features: featureListRows(store.state, name) } };
};
