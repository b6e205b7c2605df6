import { CSRF, expect, pickAccounts, simulatorOf, test } from '../fixtures.js';

const READ_ONLY = 'Viewers have read-only access.';
const ADMIN_ONLY = 'Only admins can do this.';

test.describe('viewer', () => {
  test('when a viewer looks at accounts, then removal and row selection are disabled with the reason', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const [enrolled] = pickAccounts(stack, { tfa: true, count: 1 });
    await signInQuickly('viewer');
    await page.goto(`/accounts?q=${enrolled}`);

    const remove = page.getByRole('button', { name: /^Remove 2FA/ });
    await expect(remove).toBeDisabled();
    await expect(remove).toHaveAccessibleDescription(READ_ONLY);
    const select = page.getByRole('checkbox', { name: `Select ${enrolled}`, exact: true });
    await expect(select).toBeDisabled();
    await expect(select).toHaveAccessibleDescription(READ_ONLY);
    await expect(
      page.getByRole('checkbox', { name: 'Select all accounts with 2FA in this view' }),
    ).toBeDisabled();
  });

  test('when a viewer opens policy and issuer, then their changes are disabled for admins only', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('viewer');
    await page.goto('/policy');
    const toggle = page.getByRole('button', { name: /^Turn policy (on|off)$/ });
    await expect(toggle).toBeDisabled();
    await expect(toggle).toHaveAccessibleDescription(ADMIN_ONLY);

    await page.goto('/issuer');
    await expect(page.getByRole('textbox', { name: 'New issuer' })).toBeDisabled();
    const save = page.getByRole('button', { name: /^(Save|Reset to default)$/ });
    await expect(save).toBeDisabled();
    await expect(save).toHaveAccessibleDescription(ADMIN_ONLY);
  });

  test("when a viewer's cookie posts a write straight to the BFF, then it answers 403 and WHM is untouched", async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const [enrolled = ''] = pickAccounts(stack, { tfa: true, count: 1 });
    await signInQuickly('viewer');
    const simulator = simulatorOf(stack);
    simulator.calls.reset();

    const removal = await page.request.post(
      '/api/servers/local/whm/twofactorauth_remove_user_config',
      { headers: CSRF, data: { user: enrolled, reason: 'viewer tries a removal' } },
    );
    expect(removal.status()).toBe(403);
    expect(await removal.json()).toMatchObject({ code: 'forbidden' });

    const policy = await page.request.post('/api/servers/local/whm/twofactorauth_enable_policy', {
      headers: CSRF,
      data: {},
    });
    expect(policy.status()).toBe(403);
    expect(await policy.json()).toMatchObject({ code: 'forbidden' });

    expect(simulator.calls.count('twofactorauth_remove_user_config')).toBe(0);
    expect(simulator.calls.count('twofactorauth_enable_policy')).toBe(0);
    expect(simulator.secretOf(enrolled)).toBeDefined();
  });
});
