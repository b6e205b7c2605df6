import {
  apiSignIn,
  createOperator,
  CSRF,
  DEMO_PASSWORD,
  expect,
  test,
  type Role,
} from '../fixtures.js';
import { atLeastLeftInPeriod, totpOf, wrongCode } from '../totp.js';

const ROLES: Role[] = ['admin', 'support', 'viewer'];
const ADMIN_ONLY_SCREENS = ['Enroll', 'Operators', 'Servers', 'Mail', 'Reminders'];

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
      // The demo's mailbox is everyone's: the holder's side of a reset, shown in a demo.
      for (const screen of ['Accounts', 'Policy', 'Issuer', 'Mailbox', 'My account']) {
        await expect(nav.getByRole('link', { name: screen, exact: true })).toBeVisible();
      }
      for (const screen of ADMIN_ONLY_SCREENS) {
        await expect(nav.getByRole('link', { name: screen, exact: true })).toHaveCount(
          role === 'admin' ? 1 : 0,
        );
      }
      // Support reads the records of its own actions.
      await expect(nav.getByRole('link', { name: 'Audit' })).toHaveCount(role === 'viewer' ? 0 : 1);
    });
  }

  test('when the sign-in page opens in demo mode, then it names the product and the demo sign-ins, but not a password someone chose', async ({
    page,
  }) => {
    await page.goto('/login');
    // One name everywhere: the BFF's on the page, the SPA's in the title.
    await expect(page.getByText('Two-factor console', { exact: true })).toBeVisible();
    await expect(page).toHaveTitle(/· Two-factor console$/);
    const demo = page.getByRole('region', { name: 'Demo sign-ins' });
    await expect(demo).toContainText('admin, an admin');
    await expect(demo).toContainText('support, a support operator');
    await expect(demo).toContainText('viewer, a viewer');
    // The e2e stack sets CONSOLE_DEMO_PASSWORD: start-up never prints it, so neither does the page.
    await expect(demo).not.toContainText(DEMO_PASSWORD);
    await expect(demo).toContainText('CONSOLE_DEMO_PASSWORD');
  });

  test('when the code at the second sign-in step is wrong, then it says the code is wrong', async ({
    page,
    stack,
  }) => {
    const operator = await createOperator(stack, 'viewer', 'code');
    await apiSignIn(page.request, operator.username, operator.password);
    const setup = await page.request.post('/api/me/totp/setup', { headers: CSRF, data: {} });
    const { secret } = (await setup.json()) as { secret: string };
    await atLeastLeftInPeriod(5);
    const totp = totpOf(secret);
    const confirm = await page.request.post('/api/me/totp/confirm', {
      headers: CSRF,
      data: { code: totp.generate() },
    });
    expect(confirm.status()).toBe(200);
    const signOut = await page.request.delete('/api/session', { headers: CSRF, data: {} });
    expect(signOut.status()).toBe(204);

    await page.goto('/login');
    await page.getByLabel('Username').fill(operator.username);
    await page.getByLabel('Password').fill(operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').fill(wrongCode(totp));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect(page.getByRole('alert')).toHaveText(
      'The code is wrong or was used already; wait for the next one.',
    );
  });

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
    await page.goto('/operators');
    await expect(page.getByRole('heading', { name: 'Not available' })).toBeVisible();
    await expect(
      page.getByText(
        'Managing operators is for admins only. You are signed in as a support operator.',
      ),
    ).toBeVisible();
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
    // A screen whose data the accounts view has not cached (it holds the policy status), so
    // going there asks the BFF, which finds the session gone.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Issuer' })
      .click();

    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page).toHaveURL(/\/login\?next=%2Fissuer$/);
    await page.getByLabel('Username').fill(operator.username);
    await page.getByLabel('Password').fill(operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();

    await expect(page).toHaveURL(/\/issuer$/);
    await expect(page.getByRole('heading', { name: 'Issuer', level: 1 })).toBeVisible();
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
        .getByRole('link', { name: 'Issuer' })
        .click();
      await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
      await expect(page).toHaveURL(/\/login\?next=%2Fissuer$/);
      await page.getByLabel('Username').fill('viewer');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).toHaveURL(/\/issuer$/);
      await expect(page.getByRole('heading', { name: 'Issuer', level: 1 })).toBeVisible();
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
