import { expect, test } from '../fixtures.js';

test.describe('BFF guards through the whole stack', () => {
  test('when a write comes without X-CSRF, then the BFF refuses it before WHM hears of it', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    await signInQuickly('admin');
    stack.simulator?.calls.reset();
    const response = await page.request.post('/api/servers/local/whm/twofactorauth_enable_policy', {
      data: {},
    });
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'csrf_required' });
    expect(stack.simulator?.calls.count('twofactorauth_enable_policy')).toBe(0);
  });

  test('when a function is not on the allowlist, then the BFF answers 404 even to an admin', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('admin');
    const response = await page.request.get(
      '/api/servers/local/whm/twofactorauth_get_tfa_config_for_user?user=root',
      { headers: { 'X-CSRF': '1' } },
    );
    expect(response.status()).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'unknown_function' });
  });
});
