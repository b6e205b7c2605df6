import { createOperator, DEMO_PASSWORD, expect, test, type Role } from '../fixtures.js';

const ROLES: Role[] = ['admin', 'support', 'viewer'];
const ADMIN_ONLY_SCREENS = ['Enroll', 'Audit', 'Operators'];

test.describe('sign-in', () => {
  for (const role of ROLES) {
    test(`when ${role} signs in, then the accounts screen shows with the ${role}'s navigation`, async ({
      page,
      signIn,
    }) => {
      await signIn(role);

      await expect(page).toHaveURL(/\/accounts$/);
      await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
      await expect(page.getByRole('banner')).toContainText(`${role} ${role}`);
      const nav = page.getByRole('navigation', { name: 'Main' });
      for (const screen of ['Accounts', 'Policy', 'Issuer', 'My account']) {
        await expect(nav.getByRole('link', { name: screen })).toBeVisible();
      }
      for (const screen of ADMIN_ONLY_SCREENS) {
        await expect(nav.getByRole('link', { name: screen })).toHaveCount(role === 'admin' ? 1 : 0);
      }
    });
  }

  test('when the password is wrong, then the BFF says so without telling which part was wrong', async ({
    page,
  }) => {
    await page.goto('/login');
    await page.getByLabel('Username').fill('support');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page.getByRole('alert')).toHaveText('The username, password or code is wrong.');
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByLabel('Authentication code')).toHaveCount(0);
  });

  test('when a non-admin opens an admin screen by URL, then it says the screen is for admins', async ({
    page,
    signIn,
  }) => {
    await signIn('support');
    await page.goto('/audit');
    await expect(page.getByRole('heading', { name: 'Not available' })).toBeVisible();
    await expect(page.getByText('The audit log is for admins only.')).toBeVisible();
  });

  test('when signing out, then sign-in shows and the console is closed until the next sign-in', async ({
    page,
    signIn,
  }) => {
    await signIn('viewer');
    await page.getByRole('button', { name: 'Sign out' }).click();

    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    const session = await page.request.get('/api/session', { headers: { 'X-CSRF': '1' } });
    expect(session.status()).toBe(401);

    await page.goto('/policy');
    await expect(page).toHaveURL(/\/login\?next=%2Fpolicy$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('when the session ends on the server, then the next screen asks to sign in and then returns to it', async ({
    page,
    stack,
    signIn,
  }) => {
    const operator = await createOperator(stack, 'viewer', 'expiry');
    await signIn(operator.username, operator.password);
    await page.goto('/accounts?tfa=on');
    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();

    await stack.services.sessions.endAllFor(operator.id);
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Policy' })
      .click();

    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page).toHaveURL(/\/login\?next=%2Fpolicy$/);
    await page.getByLabel('Username').fill(operator.username);
    await page.getByLabel('Password').fill(operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page).toHaveURL(/\/policy$/);
    await expect(page.getByRole('heading', { name: 'Two-factor policy' })).toBeVisible();
  });

  test('when the session has been idle past its limit, then the next screen asks to sign in and then returns to it', async ({
    page,
    clock,
    signIn,
  }) => {
    await signIn('viewer');
    await page.goto('/accounts?owner=reseller2');
    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();

    clock.advance(31 * 60_000); // the default idle limit is 30 minutes
    try {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Policy' })
        .click();
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      await expect(page).toHaveURL(/\/login\?next=%2Fpolicy$/);
      await page.getByLabel('Username').fill('viewer');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/policy$/);
      await expect(page.getByRole('heading', { name: 'Two-factor policy' })).toBeVisible();
    } finally {
      clock.reset();
    }
  });

  test('when a deep link is opened signed out, then sign-in leads back to it with its filters', async ({
    page,
  }) => {
    await page.goto('/accounts?tfa=on&sort=domain');
    await expect(page).toHaveURL(/\/login\?next=/);
    await page.getByLabel('Username').fill('viewer');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page).toHaveURL(/\/accounts\?tfa=on&sort=domain$/);
    await expect(page.getByRole('combobox', { name: '2FA' })).toHaveValue('on');
  });
});
