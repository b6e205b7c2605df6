import type { Locator, Page } from '@playwright/test';
import { CSRF, DEMO_PASSWORD, expect, pickAccounts, simulatorOf, test } from '../fixtures.js';

const ROOT_DOMAIN = 'whm.example.test';

/** Selects each account through the search box: rows are virtualized, a selection outlives a search. */
async function selectAccounts(page: Page, users: readonly string[]): Promise<void> {
  const search = page.getByRole('searchbox', { name: 'Search' });
  for (const user of users) {
    await search.fill(user);
    await page.getByRole('checkbox', { name: `Select ${user}`, exact: true }).check();
  }
  await search.fill('');
}

/** The confirmation: reason, then the step-up with the console password. */
async function confirmRemoval(page: Page, dialog: Locator, reason: string): Promise<void> {
  const submit = dialog.getByRole('button', { name: /^Remove 2FA from \d+ accounts?$/ });
  await expect(submit).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Reason (kept in the audit log)' }).fill('no');
  await expect(submit).toBeDisabled();
  await dialog.getByRole('textbox', { name: 'Reason (kept in the audit log)' }).fill(reason);
  await submit.click();

  const stepUp = dialog.getByRole('form', { name: 'Confirm it is you' });
  await stepUp.getByLabel('Password').fill(DEMO_PASSWORD);
  await stepUp.getByRole('button', { name: 'Confirm' }).click();
  await expect(page.getByRole('table', { name: 'Removal results' })).toBeVisible();
}

function resultRow(page: Page, user: string): Locator {
  return page
    .getByRole('dialog')
    .getByRole('table', { name: 'Removal results' })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: user, exact: true }) });
}

test.describe('removing 2FA', () => {
  test('when support removes 2FA from an ordinary account, then a reason, the name and a step-up are asked and the result is shown', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const [user = ''] = pickAccounts(stack, { tfa: true, count: 1 });
    await signInQuickly('support');
    await page.goto('/accounts');
    await selectAccounts(page, [user]);

    await page.getByRole('button', { name: 'Remove 2FA (1)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove 2FA from 1 account' });
    await expect(dialog.getByRole('list', { name: 'Accounts to change' })).toHaveText(user);
    // A code is offered first; going on unverified is a choice the audit record keeps.
    await dialog.getByRole('radio', { name: 'Not verified' }).check();
    await confirmRemoval(page, dialog, 'ticket 4242: customer lost their phone');

    await expect(dialog.getByRole('status')).toHaveText(
      '1 removed, 0 had no 2FA before, 0 failed.',
    );
    await expect(resultRow(page, user).getByRole('cell').first()).toHaveText('Removed');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(dialog).toBeHidden();

    expect(simulatorOf(stack).secretOf(user)).toBeUndefined();
    await page.getByRole('searchbox', { name: 'Search' }).fill(user);
    const row = page
      .getByRole('table', { name: 'Accounts' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: user, exact: true }) });
    await expect(row.getByRole('cell').last()).toHaveText('off');
  });

  test('when support looks at a reseller or root, then their selection is disabled with the reason', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('support');
    await page.goto('/accounts?q=reseller1');
    const reseller = page.getByRole('checkbox', { name: 'Select reseller1', exact: true });
    await expect(reseller).toBeDisabled();
    await expect(reseller).toHaveAccessibleDescription('Support cannot change resellers.');

    await page.getByRole('searchbox', { name: 'Search' }).fill(ROOT_DOMAIN);
    const root = page.getByRole('checkbox', { name: 'Select root', exact: true });
    await expect(root).toBeDisabled();
    await expect(root).toHaveAccessibleDescription('Support cannot change root.');
  });

  test("when support's cookie asks the BFF to remove a reseller's 2FA, then it answers 403", async ({
    page,
    stack,
    signInQuickly,
  }) => {
    await signInQuickly('support');
    const reseller = simulatorOf(stack)
      .accounts()
      .find((a) => a.reseller);
    const response = await page.request.post(
      '/api/servers/local/whm/twofactorauth_remove_user_config',
      { headers: CSRF, data: { user: reseller?.user ?? 'reseller1', reason: 'support tries' } },
    );
    expect(response.status()).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'forbidden' });
  });

  test('when a bulk removal partly fails, then accounts without 2FA are left out and each other shows removed or failed with WHM’s reason', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const enrolled = pickAccounts(stack, { tfa: true, count: 2 });
    const [plain = ''] = pickAccounts(stack, { tfa: false, count: 1 });
    // An account deleted from WHM after the list loaded: the browser still asks for it, so the
    // real BFF and simulator answer with a per-account failure.
    const gone = 'gone4242';
    await page.route('**/api/servers/local/whm/twofactorauth_remove_user_config', async (route) => {
      const body = route.request().postDataJSON() as { user: string | string[]; reason: string };
      const users = Array.isArray(body.user) ? body.user : [body.user];
      await route.continue({ postData: JSON.stringify({ ...body, user: [...users, gone] }) });
    });

    await signInQuickly('admin');
    await page.goto('/accounts');
    await selectAccounts(page, [...enrolled, plain]);
    // plain has no 2FA: selected, but counted apart and not sent.
    await page.getByRole('button', { name: 'Remove 2FA (2)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove 2FA from 2 accounts' });
    const names = await dialog
      .getByRole('list', { name: 'Accounts to change' })
      .getByRole('listitem')
      .allTextContents();
    expect(names.sort()).toEqual([...enrolled].sort());
    await expect(dialog.getByTestId('removal-skipped')).toHaveText(
      '1 selected account has no 2FA: nothing to remove there.',
    );
    await confirmRemoval(page, dialog, 'bulk: ticket 77, shared phone lost');

    await expect(dialog.getByRole('status')).toHaveText(
      '2 removed, 0 had no 2FA before, 1 failed.',
    );
    for (const user of enrolled) {
      await expect(resultRow(page, user).getByRole('cell').first()).toHaveText('Removed');
    }
    await expect(resultRow(page, plain)).toHaveCount(0);
    await expect(resultRow(page, gone).getByRole('cell').first()).toHaveText('Failed');
    await expect(resultRow(page, gone).getByRole('cell').last()).toContainText(
      `You are not authorized to modify “${gone}”`,
    );
    for (const user of enrolled) expect(simulatorOf(stack).secretOf(user)).toBeUndefined();
  });

  test('when WHM refuses the whole removal, then the dialog shows WHM’s reason and nothing changes', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const [user = ''] = pickAccounts(stack, { tfa: true, count: 1 });
    const simulator = simulatorOf(stack);
    await signInQuickly('admin');
    await page.goto('/accounts');
    await selectAccounts(page, [user]);
    await page.getByRole('button', { name: 'Remove 2FA (1)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove 2FA from 1 account' });
    await dialog.getByRole('radio', { name: 'Not verified' }).check();

    simulator.faults.set({
      mode: 'result0',
      fn: 'twofactorauth_remove_user_config',
      reason: 'The two-factor configuration is locked by another process.',
    });
    try {
      await dialog
        .getByRole('textbox', { name: 'Reason (kept in the audit log)' })
        .fill('ticket 9: WHM refuses');
      await dialog.getByRole('button', { name: 'Remove 2FA from 1 account' }).click();
      const stepUp = dialog.getByRole('form', { name: 'Confirm it is you' });
      await stepUp.getByLabel('Password').fill(DEMO_PASSWORD);
      await stepUp.getByRole('button', { name: 'Confirm' }).click();

      await expect(dialog.getByRole('alert')).toHaveText(
        'The two-factor configuration is locked by another process.',
      );
      await expect(dialog.getByRole('table', { name: 'Removal results' })).toHaveCount(0);
    } finally {
      simulator.faults.clear();
    }
    expect(simulator.secretOf(user)).toBeDefined();
  });
});
