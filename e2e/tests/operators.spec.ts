import { apiSignIn, createOperator, CSRF, DEMO_PASSWORD, expect, test } from '../fixtures.js';

test.describe('step-up for operator changes', () => {
  test('when admin A without step-up creates admin B, then the console asks A to confirm and, cancelled, B does not exist', async ({
    page,
    playwright,
    stack,
    signInQuickly,
  }) => {
    const username = `e2e-mallory-${Date.now().toString(36)}`;
    const password = 'a-long-enough-password';
    await signInQuickly('admin');
    await page.goto('/operators');
    const form = page.getByRole('form', { name: 'Add an operator' });
    await form.getByRole('textbox', { name: 'Username' }).fill(username);
    await form.getByLabel('Initial password').fill(password);
    await form.getByRole('combobox', { name: 'Role' }).selectOption('admin');
    await form.getByRole('button', { name: 'Add operator' }).click();

    const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
    await expect(stepUp).toContainText('This change needs a fresh confirmation.');
    await stepUp.getByRole('button', { name: 'Cancel' }).click();
    await expect(stepUp).toBeHidden();
    await expect(form.getByRole('alert')).toHaveCount(0);

    const other = await playwright.request.newContext({ baseURL: stack.url });
    try {
      const login = await other.post('/api/session', { data: { username, password } });
      expect(login.status()).toBe(401);
    } finally {
      await other.dispose();
    }
    const list = await page.request.get('/api/operators', { headers: CSRF });
    const names = ((await list.json()) as { operators: { username: string }[] }).operators.map(
      (o) => o.username,
    );
    expect(names).not.toContain(username);
  });

  test('when an admin deletes an operator after confirming, then that operator is signed out and gone', async ({
    page,
    playwright,
    stack,
    signInQuickly,
  }) => {
    const operator = await createOperator(stack, 'support', 'deleted');
    const other = await playwright.request.newContext({ baseURL: stack.url });
    try {
      await apiSignIn(other, operator.username, operator.password);
      await signInQuickly('admin');
      await page.goto('/operators');
      const card = page
        .getByRole('list', { name: 'Operators' })
        .getByRole('listitem', { name: operator.username, exact: true });
      await card.getByRole('button', { name: `Delete ${operator.username}` }).click();
      await page
        .getByRole('dialog', { name: `Delete ${operator.username}` })
        .getByRole('button', { name: `Delete ${operator.username}` })
        .click();
      const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
      await stepUp.getByLabel('Password').fill('not-the-password');
      await stepUp.getByRole('button', { name: 'Confirm' }).click();
      await expect(stepUp.getByRole('alert')).toHaveText('The password is wrong.');
      await stepUp.getByLabel('Password').fill(DEMO_PASSWORD);
      await stepUp.getByRole('button', { name: 'Confirm' }).click();
      await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
        `Operator ${operator.username} is deleted.`,
      );
      await expect(card).toHaveCount(0);
      expect((await other.get('/api/session', { headers: CSRF })).status()).toBe(401);
    } finally {
      await other.dispose();
    }
  });
});

test.describe('operators on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('when /operators opens 390 px wide, then nothing in it scrolls sideways', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    await createOperator(stack, 'support', 'a-rather-long-operator-name');
    await signInQuickly('admin');
    await page.goto('/operators');
    const list = page.getByRole('list', { name: 'Operators' });
    await expect(list.getByRole('listitem').first()).toBeVisible();
    const overflow = await page.evaluate(() =>
      Array.from(document.querySelectorAll('main *'))
        // Wider than itself, and not a one-pixel screen-reader-only text.
        .filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 1)
        .filter((el) => getComputedStyle(el).overflowX !== 'visible')
        .map((el) => el.className || el.tagName),
    );
    expect(overflow).toEqual([]);
    // Nor does anything stick out past the screen's right edge.
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map(
          (el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`,
        ),
    );
    expect(wide).toEqual([]);
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
  });
});

test.describe('my sessions', () => {
  test('when an operator changes its password, then its other session ends and My account lists only this one', async ({
    page,
    playwright,
    stack,
    signIn,
  }) => {
    const operator = await createOperator(stack, 'viewer', 'sessions');
    const other = await playwright.request.newContext({
      baseURL: stack.url,
      userAgent: 'Phone browser',
    });
    try {
      await apiSignIn(other, operator.username, operator.password);
      await signIn(operator.username, operator.password);
      await page.goto('/me');
      const sessions = page.getByRole('list', { name: 'Your sessions' });
      await expect(sessions.getByRole('listitem')).toHaveCount(2);
      await expect(sessions.getByRole('listitem', { name: /\(this session\)$/ })).toContainText(
        '127.0.0.1',
      );
      await expect(sessions.getByRole('listitem', { name: 'Phone browser' })).toBeVisible();

      const form = page.getByRole('form', { name: 'Change password' });
      const next = 'a-brand-new-password-77';
      await form.getByLabel('Current password').fill(operator.password);
      await form.getByLabel('New password', { exact: true }).fill(next);
      await form.getByLabel('Repeat the new password').fill(next);
      await form.getByRole('button', { name: 'Change password' }).click();
      await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
        'Your password is changed. Your other sessions are signed out.',
      );
      expect((await other.get('/api/session', { headers: CSRF })).status()).toBe(401);
      await expect(sessions.getByRole('listitem')).toHaveCount(1);
      await expect(page.getByRole('button', { name: 'End all other sessions' })).toBeDisabled();
    } finally {
      await other.dispose();
    }
  });
});
