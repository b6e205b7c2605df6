import { expect, test as base } from '@playwright/test';
import { startFirstRunStack, type FirstRunStack } from '../first-run.js';

const PASSWORD = 'the first admin password';

// Not the demo stack of fixtures.ts: a console in front of a WHM, with no operator at all.
const test = base.extend<{ firstRun: FirstRunStack }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures
  firstRun: async ({}, use) => {
    const stack = await startFirstRunStack();
    await use(stack);
    await stack.close();
  },
});

test.describe('the first run against a real WHM', () => {
  test('when a new user opens the link the console printed, then they create the first admin, land signed in, and the link works no more', async ({
    page,
    browser,
    firstRun,
  }) => {
    const { url, setupLink } = firstRun;
    expect(setupLink.startsWith(`${url}/setup#token=`)).toBe(true);
    const token = new URL(setupLink).hash.replace(/^#token=/, '');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    await page.goto(`${url}/login`);
    await expect(page.getByRole('region', { name: 'First run' })).toContainText(
      'No operator exists yet: open the setup link the console printed when it started',
    );

    await page.goto(setupLink);
    const form = page.getByRole('form', { name: 'Create the first admin' });
    await expect(form).toBeVisible();
    await expect(page).toHaveURL(`${url}/setup`);
    await form.getByLabel('Username').fill('first-admin');
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByLabel('Repeat the password').fill(PASSWORD);
    await form.getByRole('button', { name: 'Create admin' }).click();

    await expect(page.getByRole('heading', { name: 'You are the first admin' })).toBeVisible();
    await page.getByRole('button', { name: 'Set up your own TOTP now' }).click();
    await expect(page).toHaveURL(`${url}/me`);
    await expect(page.getByRole('heading', { name: 'My account', level: 1 })).toBeVisible();
    await expect(page.getByRole('banner')).toContainText('first-admin');
    await expect(page.getByRole('region', { name: 'Two-factor sign-in' })).toBeVisible();
    // Signed in for real: the accounts come from the WHM behind the console.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Accounts' })
      .click();
    await expect(page.getByTestId('coverage-count')).toBeVisible();

    const stranger = await browser.newContext();
    try {
      const again = await stranger.newPage();
      await again.goto(setupLink);
      await expect(again.getByRole('heading', { name: 'Setup is closed' })).toBeVisible();
      const replay = await again.request.post(`${url}/api/setup`, {
        data: { token, username: 'second-admin', password: PASSWORD },
      });
      expect(replay.status()).toBe(404);
    } finally {
      await stranger.close();
    }

    // Printed once, on standard output; none of the JSON log lines there carries it.
    await expect
      .poll(() => firstRun.stdout().some((line) => line.includes('"path":"/api/setup"')))
      .toBe(true);
    expect(firstRun.stdout().filter((line) => line.includes(token))).toEqual([`  ${setupLink}`]);
  });
});
