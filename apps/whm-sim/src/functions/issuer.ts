import { whmReasons } from '@console/whm-api';
import { issuerFor, systemWideIssuer } from '../access.js';
import { ROOT, SYSTEM_WIDE_ISSUER } from '../state.js';
import { parseParams, persist, type Handler } from './handler.js';

export const getIssuer: Handler = ({ caller, store, hostname }) => ({
  data: {
    issuer: issuerFor(store, caller.user, hostname),
    system_wide_issuer: systemWideIssuer(store, hostname),
  },
});

/** Root's issuer is the system-wide one; a reseller sets its own. Empty or missing resets. */
export const setIssuer: Handler = async (context) => {
  const { issuer } = parseParams(
    'twofactorauth_set_issuer',
    context.raw,
    () => whmReasons.invalidIssuer,
  );
  const key = context.caller.user === ROOT ? SYSTEM_WIDE_ISSUER : context.caller.user;
  const issuers = context.store.state.issuers;
  if (issuer === undefined || issuer === '') delete issuers[key];
  else issuers[key] = issuer;
  await persist(context, `Failed to set issuer: could not save the configuration.`);
  return {};
};
