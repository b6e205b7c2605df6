import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, pickAccounts, test } from '../fixtures.js';

/** What has focus, by its accessible label or text. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    const label = el instanceof HTMLInputElement ? el.labels?.[0]?.textContent : undefined;
    return (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').trim();
  });
}

/** Presses `key` until `name` has focus; fails after `limit` presses. */
async function tabTo(page: Page, name: string | RegExp, key = 'Tab', limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const now = await focused(page);
    if (typeof name === 'string' ? now === name : name.test(now)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${String(name)} never got focus with ${key}`);
}

test.describe('keyboard only', () => {
  test('when an admin uses only the keyboard, then they sign in, select an account, open the removal dialog and Escape closes it', async ({
    page,
    stack,
  }) => {
    const [user = ''] = pickAccounts(stack, { tfa: true, count: 1 });
    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Username')).toBeFocused();
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await expect(page.getByLabel('Password')).toBeFocused();
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();

    await tabTo(page, 'Search');
    await expect(page.getByRole('searchbox', { name: 'Search' })).toBeFocused();
    // As fast as a keyboard can go: no keystroke may be lost while the URL catches up.
    await page.keyboard.type(user);
    await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue(user);
    await expect(page).toHaveURL(new RegExp(`[?&]q=${user}(&|$)`));
    await tabTo(page, `Select ${user}`);
    await page.keyboard.press('Space');
    await expect(page.getByRole('checkbox', { name: `Select ${user}`, exact: true })).toBeChecked();

    await tabTo(page, 'Remove 2FA (1)', 'Shift+Tab');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Remove 2FA from 1 account' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole('list', { name: 'Accounts to change' })).toHaveText(user);
    const focusInside = await page.evaluate(
      () => document.activeElement?.closest('dialog') !== null,
    );
    expect(focusInside).toBe(true);

    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('button', { name: 'Remove 2FA (1)' })).toBeFocused();
  });
});

test.describe('keyboard in the virtualized accounts list', () => {
  test('when an admin tabs down the accounts past the rows first drawn, then focus moves one account at a time and never lands on another account', async ({
    page,
    signIn,
  }) => {
    await signIn('admin');
    await page.goto('/accounts');
    const firstOpen = page.locator('tbody tr[aria-rowindex="2"] button');
    await firstOpen.focus();
    // Where focus is after each Tab: the row's place in the list and the account it shows.
    const steps: { rowIndex: number; user: string }[] = [];
    for (let press = 0; press < 140; press++) {
      const at = await page.evaluate(() => {
        const row = document.activeElement?.closest('tbody tr');
        return row instanceof HTMLElement
          ? { rowIndex: Number(row.getAttribute('aria-rowindex')), user: row.dataset.user ?? '' }
          : null;
      });
      if (!at) break;
      steps.push(at);
      await page.keyboard.press('Tab');
    }
    const rowCount = Number(
      await page.getByRole('table', { name: 'Accounts' }).getAttribute('aria-rowcount'),
    );
    // Past the first window (about 25 rows drawn), to the last row.
    expect(steps.at(-1)?.rowIndex).toBe(rowCount);
    for (let i = 1; i < steps.length; i++) {
      const step = (steps[i]?.rowIndex ?? 0) - (steps[i - 1]?.rowIndex ?? 0);
      expect(
        step,
        `Tab ${i} went from row ${steps[i - 1]?.rowIndex} to ${steps[i]?.rowIndex}`,
      ).toBeGreaterThanOrEqual(0);
      expect(step).toBeLessThanOrEqual(1);
    }
    // Each account is visited in one run of Tabs, never again later.
    const runs = steps.map((s) => s.user).filter((user, i, all) => user !== all[i - 1]);
    expect(new Set(runs).size).toBe(runs.length);
  });
});
