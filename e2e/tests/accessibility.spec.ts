import { expect, expectAccessible, generateWhmUserSecret, test } from '../fixtures.js';

test.describe('accessibility', () => {
  test('when the sign-in screen shows, then axe finds no serious or critical violation', async ({
    page,
  }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel('Username').fill('viewer');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectAccessible(page);
  });

  const screens: { path: string; heading: string | RegExp; then?: 'generate' | 'dialog' }[] = [
    { path: '/accounts', heading: 'Accounts' },
    { path: '/accounts', heading: 'Accounts', then: 'dialog' },
    { path: '/policy', heading: 'Two-factor policy' },
    { path: '/issuer', heading: 'Issuer' },
    { path: '/enroll', heading: 'Enroll the WHM user' },
    { path: '/enroll', heading: 'Enroll the WHM user', then: 'generate' },
    { path: '/audit', heading: 'Audit log' },
    { path: '/operators', heading: 'Operators' },
    { path: '/me', heading: 'My account' },
    { path: '/mail', heading: 'Mail' },
    { path: '/mailbox', heading: 'Demo mailbox' },
  ];
  for (const screen of screens) {
    const what =
      screen.then === 'generate'
        ? ' with a secret and its QR code'
        : screen.then === 'dialog'
          ? ' with the removal dialog open'
          : '';
    test(`when an admin opens ${screen.path}${what}, then axe finds no serious or critical violation`, async ({
      page,
      signInQuickly,
    }) => {
      await signInQuickly('admin');
      await page.goto(screen.path);
      await expect(page.getByRole('heading', { name: screen.heading, level: 1 })).toBeVisible();
      if (screen.then === 'generate') {
        await generateWhmUserSecret(page);
        await expect(page.getByRole('img', { name: /^QR code for / })).toBeVisible();
      } else if (screen.then === 'dialog') {
        await page
          .getByRole('checkbox', { name: 'Select all accounts with 2FA in this view' })
          .check();
        await page.getByRole('button', { name: /^Remove 2FA \(\d+\)$/ }).click();
        await expect(page.getByRole('dialog')).toBeVisible();
      } else {
        await expect(page.getByText(/^Loading/)).toHaveCount(0);
      }
      await expectAccessible(page);
    });
  }

  test('when a viewer opens accounts, then the disabled controls pass axe too', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('viewer');
    await page.goto('/accounts');
    await expect(page.getByTestId('coverage-count')).toBeVisible();
    await expectAccessible(page);
  });
});
