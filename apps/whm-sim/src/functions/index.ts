import type { WhmFunctionName } from '@console/whm-api';
import { cpanelBridge } from './bridge.js';
import { generateTfaConfig, setTfaConfig } from './caller-tfa.js';
import type { Handler } from './handler.js';
import { getIssuer, setIssuer } from './issuer.js';
import { listaccts } from './listaccts.js';
import { listresellers } from './listresellers.js';
import { getFeaturelistData, listpkgs } from './packages.js';
import { disablePolicy, enablePolicy, policyStatus } from './policy.js';
import { uapiCpanel } from './uapi.js';
import {
  getTfaConfigForUser,
  getUserConfigs,
  removeUserConfig,
  setTfaConfigForUser,
} from './user-configs.js';

export const handlers: Record<WhmFunctionName, Handler> = {
  twofactorauth_policy_status: policyStatus,
  twofactorauth_enable_policy: enablePolicy,
  twofactorauth_disable_policy: disablePolicy,
  twofactorauth_get_issuer: getIssuer,
  twofactorauth_set_issuer: setIssuer,
  twofactorauth_generate_tfa_config: generateTfaConfig,
  twofactorauth_set_tfa_config: setTfaConfig,
  twofactorauth_get_user_configs: getUserConfigs,
  twofactorauth_remove_user_config: removeUserConfig,
  twofactorauth_get_tfa_config_for_user: getTfaConfigForUser,
  twofactorauth_set_tfa_config_for_user: setTfaConfigForUser,
  listaccts,
  listresellers,
  listpkgs,
  get_featurelist_data: getFeaturelistData,
  uapi_cpanel: uapiCpanel,
  cpanel: cpanelBridge,
};
