import { SECRET_PATTERN, whmReasons } from '@console/whm-api';
import { canManage, visibleAccounts } from '../access.js';
import { ROOT, type TfaEntry } from '../state.js';
import { parseParams, persist, requireRoot, WhmFailure, type Handler } from './handler.js';

/** `is_enabled` says a secret exists, whatever the policy; root is listed with the hostname. */
export const getUserConfigs: Handler = ({ raw, caller, store, hostname }) => {
  const { user: requested } = parseParams('twofactorauth_get_user_configs', raw, () =>
    whmReasons.noAccess(typeof raw.user === 'string' ? raw.user : ''),
  );
  const { secrets } = store.state;
  const entry = (user: string, domain: string) => ({
    is_enabled: secrets[user]?.secret ? 1 : 0,
    primary_domain: domain,
  });
  if (requested !== undefined) {
    if (!canManage(store, caller, requested)) throw new WhmFailure(whmReasons.noAccess(requested));
    const domain = requested === ROOT ? hostname : (store.account(requested)?.domain ?? hostname);
    return { data: { [requested]: entry(requested, domain) } };
  }
  const data: Record<string, { is_enabled: number; primary_domain: string }> = {};
  if (caller.isRoot) data[ROOT] = entry(ROOT, hostname);
  for (const acct of visibleAccounts(store, caller))
    data[acct.user] = entry(acct.user, acct.domain);
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
    if (!canManage(store, caller, user)) {
      failed[user] = whmReasons.notAuthorizedToModify(user);
      continue;
    }
    delete store.state.secrets[user];
    usersModified.push(user);
  }
  if (usersModified.length > 0) {
    await persist(context, 'Failed to save the two-factor authentication configuration.');
  }
  return { data: { users_modified: usersModified, failed } };
};

/** Raw secrets: WHM gives them to root only. */
export const getTfaConfigForUser: Handler = (context) => {
  requireRoot(context, 'twofactorauth_get_tfa_config_for_user');
  const { raw, caller, store } = context;
  const { user } = parseParams('twofactorauth_get_tfa_config_for_user', raw, () =>
    typeof raw.user === 'string' && raw.user !== ''
      ? whmReasons.invalidUser(raw.user)
      : whmReasons.missingParameter('user'),
  );
  if (!canManage(store, caller, user)) throw new WhmFailure(whmReasons.invalidUser(user));
  const stored = store.state.secrets[user];
  const config: Record<string, unknown> = {};
  if (stored?.secret) config.primary_account = { secret: stored.secret };
  if (stored?.email) config.email = stored.email;
  if (stored?.team) config.team = stored.team;
  return { data: { [user]: config } };
};

/** Replaces every entry of each named account, with no code check: never exposed by the console. */
export const setTfaConfigForUser: Handler = async (context) => {
  requireRoot(context, 'twofactorauth_set_tfa_config_for_user');
  const { json, caller, store } = context;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new WhmFailure('The request body must be a JSON object of user names to configurations.');
  }
  const { config } = parseParams(
    'twofactorauth_set_tfa_config_for_user',
    { config: json },
    () => whmReasons.invalidSecret,
  );
  for (const user of Object.keys(config)) {
    if (!canManage(store, caller, user)) throw new WhmFailure(whmReasons.invalidUser(user));
  }
  for (const [user, entry] of Object.entries(config)) {
    const secrets = [
      entry.primary_account?.secret,
      ...Object.values(entry.email ?? {}).map((e) => e.secret),
      ...Object.values(entry.team ?? {}).map((e) => e.secret),
    ];
    if (secrets.some((s) => s !== undefined && !SECRET_PATTERN.test(s))) {
      throw new WhmFailure(whmReasons.invalidSecret);
    }
    const next: TfaEntry = {};
    if (entry.primary_account) next.secret = entry.primary_account.secret;
    if (entry.email) next.email = entry.email;
    if (entry.team) next.team = entry.team;
    if (Object.keys(next).length === 0) delete store.state.secrets[user];
    else store.state.secrets[user] = next;
  }
  await persist(context, 'Failed to save the two-factor authentication configuration.');
  return {};
};
