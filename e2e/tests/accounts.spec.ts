import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import {
  apiSignIn,
  CSRF,
  DEMO_PASSWORD,
  expect,
  expectAccessible,
  pickAccounts,
  simulatorOf,
  test,
} from '../fixtures.js';

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
    // root is listed, but counted apart from the customer accounts; so are the accounts whose
    // package lacks the 2FA feature.
    const total = accounts.length + 1;
    const countable = accounts.filter((a) => a.tfaFeature);
    const enabled = countable.filter((a) => a.tfa).length;
    const percent = Math.round((enabled / countable.length) * 1000) / 10;
    const n = (count: number) => count.toLocaleString('en');

    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
    await expect(page.getByTestId('coverage-count')).toHaveText(
      `${n(enabled)} of ${n(countable.length)} customer accounts`,
    );
    await expect(page.getByTestId('coverage-percent')).toHaveText(`${percent}%`);
    await expect(
      page.getByRole('meter', { name: 'Customer accounts with 2FA set up, percent' }),
    ).toHaveAttribute('value', String(percent));
    await expect(page.getByTestId('root-two-factor')).toContainText(
      `has 2FA ${simulator.secretOf('root') === undefined ? 'off' : 'on'}`,
    );
    await expect(page.getByText(`Showing ${n(total)} of ${n(total)} accounts`)).toBeVisible();

    const byOwner = page.getByRole('table', { name: '2FA coverage by owner' });
    await page.getByText(/^By owner \(\d+\)$/).click();
    for (const owner of ['root', 'reseller1', 'reseller2']) {
      const owned = countable.filter((a) => a.owner === owner);
      const row = byOwner
        .getByRole('row')
        .filter({ has: page.getByRole('rowheader', { name: owner, exact: true }) });
      await expect(row.getByRole('cell')).toHaveText([
        n(owned.length),
        n(owned.filter((a) => a.tfa).length),
        /%$/,
      ]);
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
    await expect(row.getByRole('cell').last()).toHaveText(
      !first.tfaFeature ? '2FA not available on this package' : first.tfa ? 'on' : 'off',
    );
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
          a.tfaFeature &&
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

    expect(lines[0]).toBe('user,domain,owner,plan,suspended,two_factor,two_factor_available');
    expect(lines.slice(1)).toEqual(
      owned.map((a) =>
        [
          a.user,
          a.domain,
          a.owner,
          a.plan,
          a.suspended ? 'yes' : 'no',
          a.tfa ? 'on' : 'off',
          a.tfaFeature ? 'yes' : 'no',
        ].join(','),
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
    // root and the resellers are in this view, but support may not change them; accounts
    // without 2FA have nothing to remove.
    const changeable = inView.filter((a) => !a.reseller && a.tfa).length;

    await page.getByRole('checkbox', { name: 'Select all accounts with 2FA in this view' }).check();
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

    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page).toHaveURL(/\/accounts$/);
    await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
  });
});

/** The accounts table's row of one user, brought into the DOM through the search box. */
async function rowOfUser(page: Page, user: string) {
  await page.getByRole('searchbox', { name: 'Search' }).fill(user);
  return page
    .getByRole('table', { name: 'Accounts' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: user, exact: true }) });
}

test.describe('one account', () => {
  test('when an admin opens an account and removes its 2FA there, then the drawer shows the contact email, the new state and the audit record', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const [user = ''] = pickAccounts(stack, { tfa: true, count: 1 });
    const account = simulatorOf(stack)
      .accounts()
      .find((a) => a.user === user);
    await signInQuickly('admin');
    const listed = await page.request.get('/api/servers/local/whm/listaccts?want=user,email', {
      headers: CSRF,
    });
    const { data } = (await listed.json()) as {
      data: { acct: { user: string; email: string }[] };
    };
    const email = data.acct.find((a) => a.user === user)?.email ?? '';
    expect(email).not.toBe('');

    await page.goto('/accounts');
    await expect(page).toHaveTitle('Accounts · Two-factor console');
    const row = await rowOfUser(page, user);
    await row.getByRole('cell', { name: account?.domain ?? '' }).click();
    const drawer = page.getByRole('dialog', { name: user });
    await expect(drawer.getByTestId('drawer-two-factor')).toHaveText('on');
    if (email === '*unknown*') await expect(drawer).toContainText('none on file');
    else await expect(drawer.getByRole('link', { name: email })).toBeVisible();
    await expect(
      drawer.getByText('The console has no record of changes to this account.'),
    ).toBeVisible();
    await expectAccessible(page);

    await drawer.getByRole('button', { name: 'Remove 2FA' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove 2FA from 1 account' });
    await dialog.getByRole('radio', { name: 'Not verified' }).check();
    await dialog
      .getByRole('textbox', { name: 'Reason (kept in the audit log)' })
      .fill('ticket 5150: from the drawer');
    await dialog.getByRole('button', { name: 'Remove 2FA from 1 account' }).click();
    const stepUp = dialog.getByRole('form', { name: 'Confirm it is you' });
    await stepUp.getByLabel('Password').fill(DEMO_PASSWORD);
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await dialog.getByRole('button', { name: 'Done' }).click();

    await expect(drawer.getByTestId('drawer-two-factor')).toHaveText('off');
    await expect(drawer.getByRole('list', { name: 'Audit records' })).toContainText(
      'ticket 5150: from the drawer',
    );
    await expect(drawer.getByRole('button', { name: 'Remove 2FA' })).toBeDisabled();
    expect(simulatorOf(stack).secretOf(user)).toBeUndefined();
  });

  test('when another operator changes an account, then Refresh and then the interval show it', async ({
    page,
    playwright,
    stack,
    signInQuickly,
  }) => {
    const [first = '', second = ''] = pickAccounts(stack, { tfa: true, count: 2 });
    await page.clock.install();
    await signInQuickly('admin');
    await page.goto('/accounts');
    await expect(page.getByTestId('as-of')).toHaveText(/^as of \d{2}:\d{2}$/);
    const removeElsewhere = async (user: string) => {
      const other = await playwright.request.newContext({ baseURL: stack.url });
      try {
        await apiSignIn(other, 'admin');
        const stepUp = await other.post('/api/session/step-up', {
          headers: CSRF,
          data: { password: DEMO_PASSWORD },
        });
        expect(stepUp.status()).toBe(200);
        const removed = await other.post(
          '/api/servers/local/whm/twofactorauth_remove_user_config',
          { headers: CSRF, data: { user, reason: 'ticket 31: done elsewhere' } },
        );
        expect(removed.status(), await removed.text()).toBe(200);
      } finally {
        await other.dispose();
      }
    };

    let row = await rowOfUser(page, first);
    await expect(row.getByRole('cell').last()).toHaveText('on');
    await removeElsewhere(first);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(row.getByRole('cell').last()).toHaveText('off');

    row = await rowOfUser(page, second);
    await expect(row.getByRole('cell').last()).toHaveText('on');
    await removeElsewhere(second);
    await page.clock.fastForward(61_000);
    await expect(row.getByRole('cell').last()).toHaveText('off');
  });
});

test.describe('390 px phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('when the accounts table scrolls sideways on a phone, then the user and 2FA columns stay in view', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('viewer');
    await page.goto('/accounts');
    const table = page.getByRole('table', { name: 'Accounts' });
    const row = table.getByRole('row').nth(1);
    const user = row.getByRole('rowheader');
    const twoFactor = row.getByRole('cell').last();
    const inView = async (cell: typeof user) => {
      const box = await cell.boundingBox();
      expect(box).not.toBeNull();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    };
    await expect(twoFactor).toHaveText(/^(on|off)$/);
    await inView(user);
    await inView(twoFactor);

    await page
      .getByRole('region', { name: 'Accounts list, scrollable' })
      .evaluate((region) => region.scrollTo({ left: region.scrollWidth }));
    await inView(user);
    await inView(twoFactor);
  });
});
