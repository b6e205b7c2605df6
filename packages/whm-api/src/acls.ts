import type { WhmFunctionName } from './catalogue.js';

/*
 * Which WHM ACLs (reseller privileges, `Whostmgr/ACLS/Data.pm`) the console's API token needs.
 * These are not server roles: NEEDS_ROLE in each `Whostmgr/API/1/*.pm` only says which server
 * profile role must be on (`Whostmgr/API/1/Data/RoleCheck.pm`), and it is `undef` (none) for every
 * function here. The ACL check of WHM API 1 lives in the compiled dispatcher
 * (`whostmgr/bin/xml-api`), which neither copy of cPanel's code contains, so a dispatcher ACL is
 * either read from the readable WHM API 0 dispatch table (`Whostmgr/XMLUI/Meta.pm`) and assumed
 * unchanged for API 1, or inferred. What a function's own Perl does with `Whostmgr::ACLS::hasroot()`
 * (true only with the `all` ACL, `Whostmgr/ACLS.pm`) is read. docs/whm-token.md is the same table in
 * prose and is checked against this file.
 */

export const whmAcls = ['all', 'list-accts', 'list-pkgs', 'cpanel-api'] as const;
export type WhmAcl = (typeof whmAcls)[number];

export type AclFunctionName = WhmFunctionName;

export interface AclEntry {
  /** The ACL the dispatcher checks before the function runs; null when none beyond being a WHM user is known. */
  readonly acl: WhmAcl | null;
  /** `read`: seen in cPanel's code (API 0 table or the function itself); `inferred`: not readable. */
  readonly basis: 'read' | 'inferred';
  /** What the function's own code keeps to a caller with `all` (hasroot); absent when nothing. */
  readonly rootOnly?: string;
  /** Where the facts come from (repository paths: 11.120 `asmrdevelop/cpanel`, 11.122 `anildalar/-usr-local-cpanel3`). */
  readonly source: string;
}

const TFA = 'Whostmgr/API/1/TwoFactorAuth.pm';
const META = 'Whostmgr/XMLUI/Meta.pm %_APPLIST';

const selfService = (what: string): AclEntry => ({
  acl: null,
  basis: 'inferred',
  source: `${TFA} ${what}: acts on $ENV{REMOTE_USER} only, no ACL or hasroot check in the module`,
});

export const functionAcls: Readonly<Record<AclFunctionName, AclEntry>> = {
  twofactorauth_policy_status: {
    acl: null,
    basis: 'inferred',
    source: `${TFA} twofactorauth_policy_status: reads the flag, no check in the module`,
  },
  twofactorauth_enable_policy: {
    acl: 'all',
    basis: 'inferred',
    source: `${TFA} (no check in the module); whostmgr/docroot/templates/twofactorauth/index.tmpl shows the toggle only IF has_root`,
  },
  twofactorauth_disable_policy: {
    acl: 'all',
    basis: 'inferred',
    source: `${TFA} (no check in the module); whostmgr/docroot/templates/twofactorauth/index.tmpl shows the toggle only IF has_root`,
  },
  twofactorauth_get_issuer: selfService('twofactorauth_get_issuer'),
  twofactorauth_set_issuer: selfService('twofactorauth_set_issuer'),
  twofactorauth_generate_tfa_config: selfService('twofactorauth_generate_tfa_config'),
  twofactorauth_set_tfa_config: selfService('twofactorauth_set_tfa_config'),
  twofactorauth_get_user_configs: {
    acl: null,
    basis: 'inferred',
    rootOnly: 'accounts the token user does not own, and the root row of the full listing',
    source: `${TFA} twofactorauth_get_user_configs: hasroot() ? get_accounts('') + root : get_accounts(REMOTE_USER)`,
  },
  twofactorauth_remove_user_config: {
    acl: null,
    basis: 'inferred',
    rootOnly: 'accounts the token user does not own',
    source: `${TFA} _verify_account_access; Whostmgr/Authz.pm verify_account_access (hasroot, else itself or owner)`,
  },
  twofactorauth_get_tfa_config_for_user: {
    acl: 'all',
    basis: 'inferred',
    source: `${TFA} twofactorauth_get_tfa_config_for_user: only accountexists(), no owner check, returns secrets`,
  },
  twofactorauth_set_tfa_config_for_user: {
    acl: 'all',
    basis: 'inferred',
    source: `${TFA} twofactorauth_set_tfa_config_for_user: only accountexists(), no owner check`,
  },
  listaccts: {
    acl: 'list-accts',
    basis: 'read',
    source: `${META}{listaccts} check: xml_checkacl('list-accts'); Whostmgr/Accounts/List.pm: all accounts if hasroot or (REMOTE_USER root and list-accts)`,
  },
  listresellers: {
    acl: 'all',
    basis: 'read',
    source: `${META}{listresellers} check: hasroot(); Whostmgr/API/1/Resellers.pm listresellers has no check itself`,
  },
  uapi_cpanel: {
    acl: 'cpanel-api',
    basis: 'inferred',
    rootOnly: 'accounts the token user does not own',
    source: `${META}{cpanel} checks cpanel-api; Whostmgr/API/1/Cpanel.pm uapi_cpanel: Whostmgr::Authz::verify_account_access`,
  },
  listpkgs: {
    acl: 'list-pkgs',
    basis: 'read',
    source: `${META}{listpkgs} check: checkacl('list-pkgs'); Whostmgr/API/1/Packages.pm listpkgs has no check itself`,
  },
  get_featurelist_data: {
    acl: null,
    basis: 'inferred',
    rootOnly: 'feature lists the token user does not own',
    source:
      'Whostmgr/API/1/FeatureLists.pm get_featurelist_data: is_featurelist_accessible(list, has_root, user), _add_to_args: has_root = hasroot()',
  },
  cpanel: {
    acl: 'cpanel-api',
    basis: 'read',
    rootOnly: 'accounts the token user does not own',
    source: `${META}{cpanel} check: checkacl('cpanel-api'); Whostmgr/XMLUI/cPanel.pm cpanel_exec: has_root, the user itself or its owner`,
  },
};

export function needsAll(entry: AclEntry): boolean {
  return entry.acl === 'all' || entry.rootOnly !== undefined;
}

/** `all` passes every checkacl() (`Whostmgr/ACLS.pm` checkacl), so a set holding it is just `all`. */
export function minimalAclSet(acls: Iterable<WhmAcl>): WhmAcl[] {
  const set = new Set(acls);
  return set.has('all') ? ['all'] : [...set].sort();
}

export function consoleTokenAcls(
  entries: Iterable<AclEntry> = Object.values(functionAcls),
): WhmAcl[] {
  const needed: WhmAcl[] = [];
  for (const entry of entries) {
    if (needsAll(entry)) needed.push('all');
    else if (entry.acl) needed.push(entry.acl);
  }
  return minimalAclSet(needed);
}

/** The ACLs below `all` that the dispatcher checks: what a token refused `all` still needs. */
export function aclsBelowAll(entries: Iterable<AclEntry> = Object.values(functionAcls)): WhmAcl[] {
  const below = new Set<WhmAcl>();
  for (const entry of entries) if (entry.acl && entry.acl !== 'all') below.add(entry.acl);
  return [...below].sort();
}
