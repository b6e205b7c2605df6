import { readFile } from 'node:fs/promises';
import {
  apiSignIn,
  createOperator,
  CSRF,
  DEMO_PASSWORD,
  expect,
  pickAccounts,
  test,
} from '../fixtures.js';

test.describe('audit', () => {
  test('when 2FA was removed with a reason, then the audit log shows it with the reason and the chain is intact', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const [user = ''] = pickAccounts(stack, { tfa: true, count: 1 });
    const reason = `ticket ${Date.now()}: audit check`;
    await signInQuickly('support');
    const stepUp = await page.request.post('/api/session/step-up', {
      headers: CSRF,
      data: { password: DEMO_PASSWORD },
    });
    expect(stepUp.status()).toBe(200);
    const removal = await page.request.post(
      '/api/servers/local/whm/twofactorauth_remove_user_config',
      { headers: CSRF, data: { user, reason } },
    );
    expect(removal.status(), await removal.text()).toBe(200);
    await page.request.delete('/api/session', { headers: CSRF });

    await signInQuickly('admin');
    await page.goto('/audit');
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await expect(page.getByTestId('chain-status')).toHaveText(
      /^Intact: all \d+ records link to the one before\.$/,
    );

    const records = page.getByRole('list', { name: 'Audit records' });
    const outcome = records.getByTestId('audit-record').filter({
      hasText: `support removed 2FA from ${user} on local (reason: ${reason}).`,
    });
    await expect(outcome).toHaveCount(1);
    await expect(outcome).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \S+: support/);
    await outcome.getByText('Details').click();
    await expect(outcome).toContainText('twofactorauth_remove_user_config');

    // Part of the name: the target filter matches substrings (also of longer names, none here).
    await page.getByRole('textbox', { name: 'Target contains' }).fill(user.slice(1));
    await page.getByRole('combobox', { name: 'Outcome' }).selectOption('success');
    await page.getByRole('combobox', { name: 'Show' }).selectOption('Everything but sign-ins');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect(page).toHaveURL(new RegExp(`target=${user.slice(1)}`));
    await expect(records.getByTestId('audit-record')).toHaveCount(1);
    await expect(records.getByTestId('audit-record')).toContainText(reason);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toMatch(/^"?id"?,"?at"?,"?kind"?/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(reason);
  });
});

test.describe('audit paging', () => {
  test('when there are more records than one page, then older ones load on request', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const [plain = ''] = pickAccounts(stack, { tfa: false, count: 1 });
    await signInQuickly('admin');
    const stepUp = await page.request.post('/api/session/step-up', {
      headers: CSRF,
      data: { password: DEMO_PASSWORD },
    });
    expect(stepUp.status()).toBe(200);
    // Each removal writes an intent and an outcome: 55 of them fill more than the first 100 rows.
    for (let i = 0; i < 55; i++) {
      const removal = await page.request.post(
        '/api/servers/local/whm/twofactorauth_remove_user_config',
        { headers: CSRF, data: { user: plain, reason: `paging ${i}` } },
      );
      expect(removal.status()).toBe(200);
    }

    await page.goto('/audit');
    const rows = page.getByRole('list', { name: 'Audit records' }).getByTestId('audit-record');
    await expect(rows).toHaveCount(100); // one page
    await page.getByRole('button', { name: 'Load older records' }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(100);
    await expect(rows.filter({ hasText: 'paging 0' }).first()).toBeVisible();
  });
});

test.describe('operators', () => {
  test('when an admin adds an operator, changes the role and disables it, then the list follows and the operator can no longer sign in', async ({
    page,
    signInQuickly,
    playwright,
    stack,
  }) => {
    const username = `e2e-added-${Date.now().toString(36)}`;
    const password = 'a-long-initial-password';
    await signInQuickly('admin');
    await page.goto('/operators');

    const form = page.getByRole('form', { name: 'Add an operator' });
    await form.getByRole('textbox', { name: 'Username' }).fill(username);
    await form.getByLabel('Initial password').fill(password);
    await form.getByRole('combobox', { name: 'Role' }).selectOption('support');
    await form.getByRole('button', { name: 'Add operator' }).click();
    // Creating an operator needs a fresh step-up; the add runs again once confirmed.
    const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
    await stepUp.getByLabel('Password').fill(DEMO_PASSWORD);
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
      `Operator ${username} added as a support operator.`,
    );

    const row = page
      .getByRole('list', { name: 'Operators' })
      .getByRole('listitem', { name: username, exact: true });
    const role = row.getByRole('combobox', { name: `Role of ${username}` });
    await expect(role).toHaveValue('support');
    await expect(row).toContainText('active');

    const other = await playwright.request.newContext({ baseURL: stack.url });
    try {
      await apiSignIn(other, username, password);

      await role.selectOption('viewer');
      const confirmRole = page.getByRole('dialog', { name: `Change the role of ${username}?` });
      await expect(confirmRole).toContainText('becomes a viewer (now a support operator)');
      await confirmRole.getByRole('button', { name: 'Change role' }).click();
      await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
        `${username} is now a viewer.`,
      );
      await expect(role).toHaveValue('viewer');
      // A role change ends the operator's sessions.
      const after = await other.get('/api/session', { headers: CSRF });
      expect(after.status()).toBe(401);

      await row.getByRole('button', { name: `Disable ${username}` }).click();
      const confirm = page.getByRole('dialog', { name: `Disable ${username}` });
      await expect(confirm).toContainText(`${username} is signed out everywhere`);
      await confirm.getByRole('button', { name: `Disable ${username}` }).click();
      await expect(confirm).toBeHidden();
      await expect(row).toContainText('disabled');
      await expect(row.getByRole('button', { name: `Enable ${username}` })).toBeVisible();
      const login = await other.post('/api/session', { data: { username, password } });
      expect(login.status()).toBe(401);
    } finally {
      await other.dispose();
    }
  });

  test("when an admin ends an operator's sessions, then that operator is signed out at once", async ({
    page,
    playwright,
    stack,
    signInQuickly,
  }) => {
    const operator = await createOperator(stack, 'viewer', 'ended');
    const other = await playwright.request.newContext({ baseURL: stack.url });
    try {
      await apiSignIn(other, operator.username, operator.password);
      await signInQuickly('admin');
      await page.goto('/operators');
      const row = page
        .getByRole('list', { name: 'Operators' })
        .getByRole('listitem', { name: operator.username, exact: true });
      const sessions = page.getByTestId(`sessions-of-${operator.username}`);
      await expect(sessions).toHaveText('1');

      await row.getByRole('button', { name: `End sessions of ${operator.username}` }).click();
      const confirm = page.getByRole('dialog', { name: `End sessions of ${operator.username}` });
      await expect(confirm).toContainText('is signed out of 1 session');
      await confirm.getByRole('button', { name: `End sessions of ${operator.username}` }).click();
      await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
        `Every session of ${operator.username} is ended.`,
      );
      await expect(sessions).toHaveText('0');
      const after = await other.get('/api/session', { headers: CSRF });
      expect(after.status()).toBe(401);
    } finally {
      await other.dispose();
    }
  });

  test('when an admin looks at their own row, then role and disabling are refused with the reason', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('admin');
    await page.goto('/operators');
    const row = page
      .getByRole('list', { name: 'Operators' })
      .getByRole('listitem', { name: 'admin', exact: true });
    const role = row.getByRole('combobox', { name: 'Role of admin' });
    await expect(role).toBeDisabled();
    await expect(role).toHaveAccessibleDescription(
      'You cannot change your own role or servers, disable or delete yourself here.',
    );
    for (const action of ['Disable admin', 'Delete admin', 'Reset password of admin']) {
      await expect(row.getByRole('button', { name: action })).toBeDisabled();
    }
  });
});

test.describe('my account', () => {
  test('when an operator changes their own password, then the next sign-in takes the new one only', async ({
    page,
    stack,
    signIn,
  }) => {
    const operator = await createOperator(stack, 'support', 'me');
    const next = 'a-brand-new-password-42';
    await signIn(operator.username, operator.password);
    await page.goto('/me');
    await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();

    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill(operator.password);
    await form.getByLabel('New password', { exact: true }).fill(next);
    await form.getByLabel('Repeat the new password').fill(`${next}-typo`);
    await expect(form.getByRole('alert')).toHaveText('The two new passwords differ.');
    await expect(form.getByRole('button', { name: 'Change password' })).toBeDisabled();

    await form.getByLabel('Repeat the new password').fill(next);
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
      'Your password is changed.',
    );

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await page.getByLabel('Username').fill(operator.username);
    await page.getByLabel('Password').fill(operator.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('The username, password or code is wrong.');

    await page.getByLabel('Password').fill(next);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/me$/);
    await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  });
});
