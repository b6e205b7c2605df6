import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, expect, pickAccounts, simulatorOf, test } from '../fixtures.js';

/** The demo mailbox's card for the newest message to `address` whose subject matches. */
function mailCard(page: Page, address: string, subject: RegExp) {
  // A card is named "<subject> to <address>".
  const name = new RegExp(
    `^${subject.source}.* to ${address.replace(/[.]/g, '\\.')}$`,
    subject.flags,
  );
  return page.getByRole('list', { name: 'Received mail' }).getByRole('listitem', { name }).first();
}

test.describe('the helpdesk', () => {
  test('when support verifies a caller by a mailed code and removes 2FA, then the holder’s notice arrives in the demo mailbox', async ({
    page,
    context,
    stack,
    signInQuickly,
  }) => {
    const [user = ''] = pickAccounts(stack, { tfa: true, count: 1, withEmail: true });
    const account = simulatorOf(stack)
      .accounts()
      .find((a) => a.user === user);
    const address = account?.email ?? '';
    await signInQuickly('support');
    await page.goto('/accounts');
    const search = page.getByRole('searchbox', { name: 'Search' });
    await search.fill(user);
    await page.getByRole('checkbox', { name: `Select ${user}`, exact: true }).check();
    await page.getByRole('button', { name: 'Remove 2FA (1)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove 2FA from 1 account' });
    const verify = dialog.getByRole('group', { name: /^Verify the caller/ });
    await expect(verify.getByRole('radio', { name: /Email a code/ })).toBeChecked();
    await verify.getByRole('button', { name: 'Send code' }).click();
    await expect(verify.getByText(/^Code sent to /)).toBeVisible();

    // The caller's side: their inbox is the demo mailbox, in a tab of its own.
    const inbox = await context.newPage();
    await inbox.goto('/mailbox');
    const codeMail = mailCard(inbox, address, /Your verification code/);
    await codeMail.getByRole('button', { name: 'Show message' }).click();
    const codeText = (await codeMail.locator('pre').textContent()) ?? '';
    const code = /\b(\d{6})\b/.exec(codeText)?.[1] ?? '';
    expect(code).toMatch(/^\d{6}$/);

    await verify.getByLabel('Code the caller reads back').fill(code);
    await verify.getByRole('button', { name: 'Check code' }).click();
    await expect(dialog.getByText(/Caller verified by the code sent to /)).toBeVisible();
    await dialog
      .getByRole('textbox', { name: 'Reason (kept in the audit log)' })
      .fill('ticket 6001: caller verified by code');
    await dialog.getByRole('button', { name: 'Remove 2FA from 1 account' }).click();
    const stepUp = dialog.getByRole('form', { name: 'Confirm it is you' });
    await stepUp.getByLabel('Password').fill(DEMO_PASSWORD);
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(dialog.getByTestId('removal-notices')).toHaveText(
      'The account holder is being told by email.',
    );
    expect(simulatorOf(stack).secretOf(user)).toBeUndefined();

    // The holder's notice: no reason, how to set 2FA up again.
    const notice = mailCard(
      inbox,
      address,
      new RegExp(`Two-factor authentication was removed from ${user}`),
    );
    await expect(notice).toBeVisible({ timeout: 15_000 });
    await notice.getByRole('button', { name: 'Show message' }).click();
    await expect(notice.locator('pre')).toContainText(user);
    await expect(notice.locator('pre')).toContainText('Two-Factor Authentication');
    await expect(notice.locator('pre')).not.toContainText('ticket 6001');
    await expect(notice.locator('pre')).not.toContainText(code);
  });

  test('when the caller reads back a wrong code, then the field is cleared with the tries left, and removal stays closed', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const [user = ''] = pickAccounts(stack, { tfa: true, count: 1, withEmail: true });
    await signInQuickly('support');
    await page.goto('/accounts');
    await page.getByRole('searchbox', { name: 'Search' }).fill(user);
    await page.getByRole('checkbox', { name: `Select ${user}`, exact: true }).check();
    await page.getByRole('button', { name: 'Remove 2FA (1)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove 2FA from 1 account' });
    const verify = dialog.getByRole('group', { name: /^Verify the caller/ });
    await verify.getByRole('button', { name: 'Send code' }).click();
    const field = verify.getByLabel('Code the caller reads back');
    await expect(field).toBeFocused();
    await field.fill('000000');
    await verify.getByRole('button', { name: 'Check code' }).click();
    // 000000 could be the real code once in a million runs; then this test says so plainly.
    await expect(verify.getByRole('alert')).toContainText('4 tries left');
    await expect(field).toHaveValue('');
    await dialog
      .getByRole('textbox', { name: 'Reason (kept in the audit log)' })
      .fill('ticket 6002');
    await expect(dialog.getByRole('button', { name: 'Remove 2FA from 1 account' })).toBeDisabled();
  });
});
