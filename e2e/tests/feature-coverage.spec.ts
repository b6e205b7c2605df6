import type { Page } from '@playwright/test';
import { expect, simulatorOf, test } from '../fixtures.js';

/** The user names the accounts table shows, in order (the reseller badge left out). */
async function listedUsers(page: Page): Promise<string[]> {
  const table = page.getByRole('table', { name: 'Accounts' });
  const cells = await table.getByRole('rowheader').allTextContents();
  return cells.map((text) => text.replace(/reseller$/, '').trim());
}

test.describe('accounts whose package lacks the 2FA feature', () => {
  test('when the 2FA filter is set to "not available", then exactly those accounts show, labelled, and coverage counts them apart', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const lacking = simulatorOf(stack)
      .accounts()
      .filter((a) => !a.tfaFeature)
      .map((a) => a.user)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(lacking.length).toBeGreaterThan(1);

    await signInQuickly('viewer');
    await page.goto('/accounts');
    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
    await expect(page.getByTestId('coverage-unavailable')).toContainText(
      `Not counted: ${lacking.length.toLocaleString('en')} customer accounts on packages without the 2FA feature`,
    );

    await page.getByRole('combobox', { name: '2FA' }).selectOption('unavailable');
    await expect(page).toHaveURL(/[?&]tfa=unavailable(&|$)/);
    await expect(page.getByText(`Showing ${lacking.length} of`)).toBeVisible();
    await expect.poll(() => listedUsers(page)).toEqual(lacking);
    const cells = page
      .getByRole('table', { name: 'Accounts' })
      .locator('tbody tr')
      .locator('td.two-factor-cell');
    await expect(cells).toHaveText(lacking.map(() => '2FA not available on this package'));

    await page.reload();
    await expect(page.getByRole('combobox', { name: '2FA' })).toHaveValue('unavailable');
    await expect.poll(() => listedUsers(page)).toEqual(lacking);
  });
});
