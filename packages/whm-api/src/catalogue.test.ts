import { describe, expect, expectTypeOf, it } from 'vitest';
import { catalogue, whmFunctionNames, type DataOf } from './catalogue.js';

describe('catalogue', () => {
  it('when a function returns data, then DataOf is its parsed shape; when it returns none, undefined', () => {
    expectTypeOf<DataOf<'twofactorauth_policy_status'>>().toEqualTypeOf<{ is_enabled: 0 | 1 }>();
    expectTypeOf<DataOf<'twofactorauth_get_issuer'>>().toEqualTypeOf<{
      issuer: string;
      system_wide_issuer: string;
    }>();
    expectTypeOf<DataOf<'twofactorauth_enable_policy'>>().toEqualTypeOf<undefined>();
    expectTypeOf<DataOf<'twofactorauth_set_tfa_config_for_user'>>().toEqualTypeOf<undefined>();
    expect(catalogue.twofactorauth_enable_policy.data).toBeNull();
    expect(catalogue.twofactorauth_policy_status.data).not.toBeNull();
  });

  it('when the catalogue is listed, then it has the 11 2FA functions, listaccts, listresellers and uapi_cpanel', () => {
    expect(whmFunctionNames.filter((name) => name.startsWith('twofactorauth_'))).toHaveLength(11);
    expect(whmFunctionNames).toContain('listaccts');
    expect(whmFunctionNames).toContain('listresellers');
    expect(whmFunctionNames).toContain('uapi_cpanel');
  });
});
