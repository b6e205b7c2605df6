import type { WhmFunctionName } from '@console/whm-api';
import type { Role } from '../operators/operator-store.js';

export interface FunctionAccess {
  method: 'GET' | 'POST';
  roles: readonly Role[];
  /** Needs a step-up in the last 5 minutes. */
  stepUp: boolean;
  /** Support may call it only for ordinary accounts (not root, not resellers). */
  ordinaryTargetsOnlyFor: readonly Role[];
}

const everyone: readonly Role[] = ['viewer', 'support', 'admin'];
const read = (): FunctionAccess => ({
  method: 'GET',
  roles: everyone,
  stepUp: false,
  ordinaryTargetsOnlyFor: [],
});
const adminWrite = (stepUp = false): FunctionAccess => ({
  method: 'POST',
  roles: ['admin'],
  stepUp,
  ordinaryTargetsOnlyFor: [],
});

/**
 * The allowlist: DESIGN.md's role table, and nothing else. A function missing here answers 404
 * (`twofactorauth_get_tfa_config_for_user`, `twofactorauth_set_tfa_config_for_user`,
 * `uapi_cpanel` and anything WHM may add are never reachable).
 */
export const whmAccess: Partial<Record<WhmFunctionName, FunctionAccess>> = {
  twofactorauth_policy_status: read(),
  twofactorauth_get_issuer: read(),
  twofactorauth_get_user_configs: read(),
  listaccts: read(),
  listresellers: read(),
  twofactorauth_remove_user_config: {
    method: 'POST',
    roles: ['support', 'admin'],
    stepUp: true,
    ordinaryTargetsOnlyFor: ['support'],
  },
  twofactorauth_enable_policy: adminWrite(),
  twofactorauth_disable_policy: adminWrite(true),
  twofactorauth_set_issuer: adminWrite(),
  twofactorauth_generate_tfa_config: adminWrite(),
  // Step-up only when the WHM user already has 2FA (a live read, in WhmService): that replaces it.
  twofactorauth_set_tfa_config: adminWrite(),
};

const accessByName = new Map(
  Object.entries(whmAccess).map(([name, access]) => [
    name,
    Object.freeze({ ...access, name: name as WhmFunctionName }),
  ]),
);

export function accessOf(name: string): (FunctionAccess & { name: WhmFunctionName }) | undefined {
  return accessByName.get(name);
}
