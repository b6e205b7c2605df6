import { whmReasons } from '@console/whm-api';
import { persist, requireRoot, type Handler } from './handler.js';

export const policyStatus: Handler = ({ store }) => ({
  data: { is_enabled: store.state.policyEnabled ? 1 : 0 },
});

/** The policy only decides whether logins ask for a code: secrets are never touched here. */
function setPolicy(name: string, enabled: boolean, failure: string): Handler {
  return async (context) => {
    requireRoot(context, name);
    context.store.state.policyEnabled = enabled;
    await persist(context, failure);
    return {};
  };
}

export const enablePolicy = setPolicy(
  'twofactorauth_enable_policy',
  true,
  whmReasons.enablePolicyFailed,
);
export const disablePolicy = setPolicy(
  'twofactorauth_disable_policy',
  false,
  whmReasons.disablePolicyFailed,
);
