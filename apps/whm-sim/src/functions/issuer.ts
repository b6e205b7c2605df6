import { normalizeIssuer, WHM_ISSUER_PATTERN, whmReasons } from '@console/whm-api';
import { issuerFor, systemWideIssuer } from '../access.js';
import { ROOT, SYSTEM_WIDE_ISSUER } from '../state.js';
import { exceptionText } from '../xid.js';
import { persist, WhmFailure, type Handler } from './handler.js';

export const getIssuer: Handler = ({ caller, store, hostname }) => ({
  data: {
    issuer: issuerFor(store, caller.user, hostname),
    system_wide_issuer: systemWideIssuer(store, hostname),
  },
});

/**
 * Root's issuer is the system-wide one; a reseller sets its own. After one leading and one
 * trailing quote go, empty (or missing) resets; otherwise WHM's pattern, Perl's `$` included, so
 * a value ending in one newline passes and is stored with it.
 */
export const setIssuer: Handler = async (context) => {
  const raw = context.raw.issuer;
  const issuer = normalizeIssuer(typeof raw === 'string' ? raw : '');
  if (issuer !== '' && !WHM_ISSUER_PATTERN.test(issuer)) {
    throw new WhmFailure(`${whmReasons.setIssuerFailed}${exceptionText(whmReasons.invalidIssuer)}`);
  }
  const key = context.caller.user === ROOT ? SYSTEM_WIDE_ISSUER : context.caller.user;
  const issuers = context.store.state.issuers;
  if (issuer === '') delete issuers[key];
  else issuers[key] = issuer;
  await persist(context, { prefix: whmReasons.setIssuerFailed });
  return {};
};
