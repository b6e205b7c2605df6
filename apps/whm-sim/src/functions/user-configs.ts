import { whmReasons } from '@console/whm-api';
import { accessError, canManage, visibleAccounts } from '../access.js';
import { PerlDie, perlFalse } from '../perl.js';
import { ROOT, type TfaEntry } from '../state.js';
import { exceptionText } from '../xid.js';
import { persist, requireRoot, requiredArgument, WhmFailure, type Handler } from './handler.js';

const GET_TFA_CONFIG_FOR_USER_SUB =
  'Whostmgr::API::1::TwoFactorAuth::twofactorauth_get_tfa_config_for_user';

/**
 * `is_enabled` says a secret exists, whatever the policy. Root gets every account plus `root`
 * (with the hostname); a reseller the accounts it owns, and may name itself.
 */
export const getUserConfigs: Handler = ({ raw, caller, store, hostname }) => {
  const user = raw.user;
  const requested = typeof user === 'string' && !perlFalse(user) ? user : undefined;
  const listed = new Map<string, string>();
  if (caller.isRoot) listed.set(ROOT, hostname);
  for (const acct of visibleAccounts(store, caller)) listed.set(acct.user, acct.domain);
  const entry = (name: string, domain: string) => ({
    is_enabled: store.state.secrets[name]?.secret === undefined ? 0 : 1,
    primary_domain: domain,
  });
  if (requested !== undefined) {
    if (!listed.has(requested) && requested !== caller.user) {
      throw new WhmFailure(whmReasons.noAccess(requested));
    }
    const domain =
      listed.get(requested) ??
      (requested === ROOT ? hostname : (store.account(requested)?.domain ?? ''));
    return { data: { [requested]: entry(requested, domain) } };
  }
  const data: Record<string, { is_enabled: number; primary_domain: string }> = {};
  for (const [name, domain] of listed) data[name] = entry(name, domain);
  return { data };
};

/**
 * Every param named `user` or `user-` plus digits, whatever its value (an empty one included, which
 * then fails as an unknown account), read from the form rather than the catalogue, as WHM does.
 */
function requestedUsers(form: readonly [string, string][]): string[] {
  return form.filter(([key]) => /^user(?:-\d+)?$/.test(key)).map(([, value]) => value);
}

/**
 * Removes each user's 2FA. A user without 2FA still lands in `users_modified`; users the caller may
 * not touch go to `failed`, and `result` stays 1 as long as the call itself made sense.
 */
export const removeUserConfig: Handler = async (context) => {
  const { form, caller, store } = context;
  const users = requestedUsers(form);
  if (users.length === 0) throw new WhmFailure(whmReasons.noUsersSpecified);
  const usersModified: string[] = [];
  const failed: Record<string, string> = {};
  for (const user of users) {
    const denied = accessError(store, caller, user);
    if (denied !== undefined) {
      failed[user] = `${whmReasons.notAuthorizedToModify(user)}${exceptionText(denied)}`;
      continue;
    }
    removePrimarySecret(store.state.secrets, user);
    usersModified.push(user);
  }
  if (usersModified.length > 0) {
    await persist(context, { prefix: 'Failed to remove two-factor authentication: ' });
  }
  // `failed` first: WHM's output options then meet a map, as with one of Perl's hash orders.
  return { data: { failed, users_modified: usersModified } };
};

/** Raw secrets: WHM gives them to root only. */
export const getTfaConfigForUser: Handler = (context) => {
  requireRoot(context, 'twofactorauth_get_tfa_config_for_user');
  const { raw, caller, store } = context;
  const user = requiredArgument(raw, 'user', GET_TFA_CONFIG_FOR_USER_SUB);
  if (!canManage(store, caller, user)) throw new WhmFailure(whmReasons.invalidUser(user));
  const stored = store.state.secrets[user];
  const config: Record<string, unknown> = {};
  if (stored?.secret) config.primary_account = { secret: stored.secret };
  if (stored?.email) config.email = stored.email;
  if (stored?.team) config.team = stored.team;
  return { data: { [user]: config } };
};

type Entries = Record<string, unknown>;

function isMap(value: unknown): value is Entries {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `_validate_args_for_set_tfa_config_for_user`: why the entry is refused, or undefined. */
function entryProblem(user: string, domain: string, entry: Entries): string | undefined {
  const primary = entry.primary_account;
  if (primary !== undefined) {
    if (!isMap(primary) || Object.keys(primary).some((key) => key !== 'secret')) {
      return '‘secret’ is the only valid key for ‘primary_account’';
    }
    if (perlFalse(primary.secret)) return 'No ‘secret’ given for primary_account';
  }
  for (const [key, accounts] of Object.entries(entry)) {
    if (key === 'primary_account') continue;
    if (key !== 'email' && key !== 'team') return `‘${key}’ is not a valid key for ‘${user}’`;
    if (!isMap(accounts)) throw PerlDie.notA('HASH', accounts, TFA_FILE, 186);
    for (const [name, value] of Object.entries(accounts)) {
      // The simulator keeps no mailboxes or team users: any address of the account's domain is one.
      if (key === 'email' && !name.endsWith(`@${domain}`)) {
        return `‘${user}’ does not own an email account named ‘${name}’`;
      }
      if (key === 'team' && !name.endsWith(`@${user}`)) {
        return `‘${user}’ does not own a team user named ‘${name}’`;
      }
      if (!isMap(value) || Object.keys(value).some((k) => k !== 'secret')) {
        return `‘secret’ is the only valid key for ‘${name}’`;
      }
      if (perlFalse(value.secret)) return `No ‘secret’ given for ‘${name}’`;
    }
  }
  return undefined;
}

const TFA_FILE = '/usr/local/cpanel/Whostmgr/API/1/TwoFactorAuth.pm';

/**
 * Replaces every entry of one account (primary, email addresses, team users), with no code or
 * secret check: never exposed by the console.
 */
export const setTfaConfigForUser: Handler = async (context) => {
  requireRoot(context, 'twofactorauth_set_tfa_config_for_user');
  const { json, store } = context;
  const body: Entries = isMap(json) ? json : {};
  const users = Object.keys(body);
  if (users.length !== 1) throw new WhmFailure(whmReasons.invalidInput);
  const user = users[0] ?? '';
  const acct = store.account(user);
  if (!acct) throw new WhmFailure(whmReasons.invalidUser(user));
  const entry = body[user];
  if (!isMap(entry)) throw PerlDie.notA('HASH', entry, TFA_FILE, 160);
  const problem = entryProblem(user, acct.domain, entry);
  if (problem !== undefined)
    throw new WhmFailure(`${whmReasons.invalidInput.slice(0, -1)}:  ${problem}`);
  const next: TfaEntry = {};
  const primary = entry.primary_account;
  if (isMap(primary)) next.secret = String(primary.secret);
  const copy = (accounts: unknown) =>
    Object.fromEntries(
      Object.entries(isMap(accounts) ? accounts : {}).map(([name, value]) => [
        name,
        { secret: String((value as Entries).secret) },
      ]),
    );
  if (entry.email !== undefined) next.email = copy(entry.email);
  if (entry.team !== undefined) next.team = copy(entry.team);
  if (Object.keys(next).length === 0) delete store.state.secrets[user];
  else store.state.secrets[user] = next;
  // Saved outside any try in WHM: a disk error is an API failure.
  await persist(context, { prefix: whmReasons.apiFailure });
  return {};
};

/** `remove_tfa_for_user` deletes that one key: the account's email and team entries stay. */
export function removePrimarySecret(secrets: Record<string, TfaEntry>, user: string): void {
  const entry = secrets[user];
  if (!entry) return;
  const rest: TfaEntry = { ...entry };
  delete rest.secret;
  if (Object.keys(rest).length === 0) delete secrets[user];
  else secrets[user] = rest;
}
