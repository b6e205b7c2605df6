import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect, simulatorOf, test } from '../fixtures.js';

/** The user names the accounts table shows, in order (the reseller badge left out). */
async function listedUsers(page: Page): Promise<string[]> {
  const table = page.getByRole('table', { name: 'Accounts' });
  const cells = await table.getByRole('rowheader').allTextContents();
  return cells.map((text) => text.replace(/reseller$/, '').trim());
}

test.describe('accounts', () => {
  test('when the accounts screen opens, then every account is listed with the 2FA coverage', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    await signInQuickly('viewer');
    await page.goto('/accounts');

    const simulator = simulatorOf(stack);
    const accounts = simulator.accounts();
    const total = accounts.length + 1; // root is listed too
    const enabled =
      accounts.filter((a) => a.tfa).length + (simulator.secretOf('root') === undefined ? 0 : 1);
    const percent = Math.round((enabled / total) * 1000) / 10;

    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
    await expect(page.getByTestId('coverage-count')).toHaveText(`${enabled} of ${total}`);
    await expect(page.getByTestId('coverage-percent')).toHaveText(`${percent}%`);
    await expect(
      page.getByRole('meter', { name: 'Accounts with 2FA on, percent' }),
    ).toHaveAttribute('value', String(percent));
    await expect(page.getByText(`Showing ${total} of ${total} accounts`)).toBeVisible();

    const byOwner = page.getByRole('table', { name: '2FA coverage by owner' });
    await page.getByText(/^By owner \(\d+\)$/).click();
    const rootOn = simulator.secretOf('root') !== undefined;
    for (const owner of ['root', 'reseller1', 'reseller2']) {
      const owned = accounts.filter((a) => a.owner === owner);
      const ownedTotal = owned.length + (owner === 'root' ? 1 : 0);
      const ownedOn = owned.filter((a) => a.tfa).length + (owner === 'root' && rootOn ? 1 : 0);
      const row = byOwner
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: owner, exact: true }) });
      await expect(row.getByRole('cell').first()).toHaveText(`${ownedOn} of ${ownedTotal}`);
    }

    // Rows are virtualized: search brings the one checked here into the DOM.
    const first = accounts.find((a) => !a.reseller);
    if (!first) throw new Error('the simulator has no ordinary account');
    await page.getByRole('searchbox', { name: 'Search' }).fill(first.domain);
    const table = page.getByRole('table', { name: 'Accounts' });
    const row = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: first.user, exact: true }) });
    await expect(row).toContainText(first.domain);
    await expect(row).toContainText(first.owner);
    await expect(row.getByRole('cell').last()).toHaveText(first.tfa ? 'on' : 'off');
  });

  test('when search, filters and sort are set, then they are kept in the URL and survive a reload', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    await signInQuickly('viewer');
    await page.goto('/accounts');
    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();

    await page.getByRole('searchbox', { name: 'Search' }).fill('example');
    await page.getByRole('combobox', { name: '2FA' }).selectOption('on');
    await page.getByRole('combobox', { name: 'Suspended' }).selectOption('no');
    const table = page.getByRole('table', { name: 'Accounts' });
    await table.getByRole('button', { name: 'Domain' }).click();
    await table.getByRole('button', { name: 'Domain' }).click();

    await expect(page).toHaveURL(/[?&]q=example(&|$)/);
    await expect(page).toHaveURL(/[?&]tfa=on(&|$)/);
    await expect(page).toHaveURL(/[?&]suspended=no(&|$)/);
    await expect(page).toHaveURL(/[?&]sort=domain(&|$)/);
    await expect(page).toHaveURL(/[?&]dir=desc(&|$)/);

    const expected = simulatorOf(stack)
      .accounts()
      .filter(
        (a) =>
          a.tfa &&
          a.suspended === 0 &&
          [a.user, a.domain, a.owner, a.plan].join('\n').toLowerCase().includes('example'),
      )
      .sort((a, b) => (a.domain < b.domain ? 1 : a.domain > b.domain ? -1 : 0))
      .map((a) => a.user);
    expect(expected.length).toBeGreaterThan(1);

    const check = async () => {
      await expect(page.getByRole('searchbox', { name: 'Search' })).toHaveValue('example');
      await expect(page.getByRole('combobox', { name: '2FA' })).toHaveValue('on');
      await expect(page.getByRole('combobox', { name: 'Suspended' })).toHaveValue('no');
      await expect(table.getByRole('columnheader', { name: 'Domain' })).toHaveAttribute(
        'aria-sort',
        'descending',
      );
      await expect(page.getByText(`Showing ${expected.length} of`)).toBeVisible();
      await expect.poll(() => listedUsers(page)).toEqual(expected);
    };
    await check();
    await page.reload();
    await check();
  });

  test('when the view is exported, then a CSV with a header and one line per shown account downloads', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    await signInQuickly('viewer');
    await page.goto('/accounts?owner=reseller1');
    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();

    const owned = simulatorOf(stack)
      .accounts()
      .filter((a) => a.owner === 'reseller1')
      .sort((a, b) => (a.user < b.user ? -1 : 1));
    expect(owned.length).toBeGreaterThan(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^accounts-local-\d{4}-\d{2}-\d{2}\.csv$/);
    const path = await download.path();
    const lines = (await readFile(path, 'utf8')).split('\r\n').filter((line) => line !== '');

    expect(lines[0]).toBe('user,domain,owner,plan,suspended,two_factor');
    expect(lines.slice(1)).toEqual(
      owned.map((a) =>
        [a.user, a.domain, a.owner, a.plan, a.suspended ? 'yes' : 'no', a.tfa ? 'on' : 'off'].join(
          ',',
        ),
      ),
    );
  });

  test('when support selects every account in a view, then only the ones support may change are counted and clearing empties the selection', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    await signInQuickly('support');
    await page.goto('/accounts?owner=root&suspended=no');
    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
    const inView = simulatorOf(stack)
      .accounts()
      .filter((a) => a.owner === 'root' && a.suspended === 0);
    // root and the resellers are in this view, but support may not change them.
    const changeable = inView.filter((a) => !a.reseller).length;

    await page.getByRole('checkbox', { name: 'Select all accounts in this view' }).check();
    await expect(page.getByText(`, ${changeable} selected`)).toBeVisible();
    const remove = page.getByRole('button', { name: `Remove 2FA (${changeable})` });
    await expect(remove).toBeEnabled();

    await page.getByRole('button', { name: 'Clear selection' }).click();
    const none = page.getByRole('button', { name: 'Remove 2FA', exact: true });
    await expect(none).toBeDisabled();
    await expect(page.getByText('Showing', { exact: false })).not.toContainText('selected');
  });

  test('when no account matches the filters, then the screen says so instead of an empty table', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('viewer');
    await page.goto('/accounts?q=no-such-account-anywhere');
    await expect(page.getByText('No account matches these filters.')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Accounts' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Export CSV' })).toBeDisabled();
  });
});
