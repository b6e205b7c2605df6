import { bridgeReasons, bridgeSuccessAnswer } from '@console/whm-api';
import { canManage } from '../access.js';
import { ROOT } from '../state.js';
import { WhmFailure, type Handler } from './handler.js';
import { runUapi } from './uapi.js';

function param(raw: Record<string, unknown>, name: string): string {
  const value = raw[name];
  return typeof value === 'string' ? value : '';
}

/**
 * The older `json-api/cpanel` bridge with `cpanel_jsonapi_apiversion=3`: the same access, feature
 * and UAPI rules as `uapi_cpanel` (one implementation), answered in the bridge's own shape. A
 * refusal (WhmFailure) becomes the bridge's `{data: {reason, result: "0"}, type, error}`.
 */
export const cpanelBridge: Handler = async (context) => {
  const { raw, caller, store } = context;
  const user = param(raw, 'cpanel_jsonapi_user');
  const acct = store.account(user);
  if (user === '' || user === ROOT || !acct || !canManage(store, caller, user)) {
    throw new WhmFailure(bridgeReasons.invalidUser);
  }
  const version = param(raw, 'cpanel_jsonapi_apiversion');
  if (version !== '3') throw new WhmFailure(bridgeReasons.unsupportedApiVersion(version));
  const module = param(raw, 'cpanel_jsonapi_module');
  const func = param(raw, 'cpanel_jsonapi_func');
  if (module === '') throw new WhmFailure(bridgeReasons.missingParameter('cpanel_jsonapi_module'));
  if (func === '') throw new WhmFailure(bridgeReasons.missingParameter('cpanel_jsonapi_func'));
  return { data: bridgeSuccessAnswer(module, func, await runUapi(context, acct, module, func)) };
};
