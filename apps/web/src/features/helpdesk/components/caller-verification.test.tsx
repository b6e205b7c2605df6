import { screen, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../../testing/test-utils';
import { hosting } from '../../accounts/components/accounts-fixture';

const REMOVE = '/api/servers/local/whm/twofactorauth_remove_user_config';

async function openRemoval(user: UserEvent, names: string[]) {
  await screen.findByTestId('coverage-count');
  for (const name of names) {
    await user.click(screen.getByRole('checkbox', { name: `Select ${name}` }));
  }
  await user.click(screen.getByRole('button', { name: `Remove 2FA (${names.length})` }));
  return screen.getByRole('dialog', { name: /Remove 2FA from/ });
}

async function stepUp(user: UserEvent, dialog: HTMLElement) {
  await user.type(await within(dialog).findByLabelText('Password'), 'correct horse battery');
  await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));
}

describe('verifying the caller in the removal dialog', () => {
  it('when verification is required, then support sends a code, a wrong one is cleared, the right one verifies, and the removal carries it', async () => {
    const bff = hosting('support', (b) => {
      b.mail.callerVerification = 'required';
    });
    const { user } = renderApp('/accounts');
    const dialog = await openRemoval(user, ['dave']);
    const group = await within(dialog).findByRole('group', {
      name: 'Verify the caller (required)',
    });
    expect(within(group).queryByRole('radio', { name: 'Not verified' })).toBeNull();
    const confirm = within(dialog).getByRole('button', { name: 'Remove 2FA from 1 account' });
    await user.type(within(dialog).getByLabelText(/Reason/), 'ticket 7: new phone');
    expect(confirm).toBeDisabled();

    await user.click(within(group).getByRole('button', { name: 'Send code' }));
    expect(await within(group).findByText(/Code sent to d\*\*\*@example\.com/)).toBeVisible();
    expect(bff.calls('POST', '/api/verifications')[0]?.body).toEqual({
      server: 'local',
      user: 'dave',
    });
    const field = within(group).getByLabelText('Code the caller reads back');
    expect(field).toHaveFocus();
    await user.type(field, '111111');
    await user.click(within(group).getByRole('button', { name: 'Check code' }));
    expect(await within(group).findByRole('alert')).toHaveTextContent('4 tries left');
    expect(field).toHaveValue('');
    expect(field).toHaveFocus();
    expect(confirm).toBeDisabled();

    await user.type(field, bff.mailedCode);
    await user.click(within(group).getByRole('button', { name: 'Check code' }));
    expect(
      await within(dialog).findByText(/Caller verified by the code sent to d\*\*\*/),
    ).toBeVisible();
    expect(confirm).toBeEnabled();
    await user.click(confirm);
    await stepUp(user, dialog);

    await within(dialog).findByRole('table', { name: 'Removal results' });
    expect(within(dialog).getByTestId('removal-notices')).toHaveTextContent(
      'The account holder is being told by email.',
    );
    const removals = bff.calls('POST', REMOVE);
    expect(removals.at(-1)?.body).toEqual({
      user: 'dave',
      reason: 'ticket 7: new phone',
      verification: 'email_code',
      verification_ref: [...bff.verifications.keys()][0],
    });
  });

  it('when several accounts are chosen and tickets are allowed, then the ticket reference is the way, and it goes with the removal', async () => {
    const bff = hosting('support', (b) => {
      b.mail.callerVerification = 'required';
      b.mail.ticketVerification = true;
    });
    const { user } = renderApp('/accounts');
    const dialog = await openRemoval(user, ['carol', 'dave']);
    const group = await within(dialog).findByRole('group', {
      name: 'Verify the caller (required)',
    });
    expect(within(group).queryByRole('radio', { name: /Email a code/ })).toBeNull();
    expect(
      within(group).getByRole('radio', { name: 'Verified in the ticket system' }),
    ).toBeChecked();
    await user.type(within(dialog).getByLabelText(/Reason/), 'ticket 8: two lost phones');
    const confirm = within(dialog).getByRole('button', { name: 'Remove 2FA from 2 accounts' });
    expect(confirm).toBeDisabled();
    await user.type(within(group).getByLabelText('Ticket reference'), 'HD-99');
    await user.click(confirm);
    await stepUp(user, dialog);
    await within(dialog).findByRole('table', { name: 'Removal results' });
    expect(bff.calls('POST', REMOVE).at(-1)?.body).toMatchObject({
      verification: 'ticket',
      verification_ref: 'HD-99',
    });
  });

  it('when the account has no contact address, then sending says so and support may go on unverified where that is allowed', async () => {
    const bff = hosting('support', (b) => {
      b.withoutContact.add('dave');
    });
    const { user } = renderApp('/accounts');
    const dialog = await openRemoval(user, ['dave']);
    const group = await within(dialog).findByRole('group', { name: 'Verify the caller' });
    await user.click(within(group).getByRole('radio', { name: /Email a code/ }));
    await user.click(within(group).getByRole('button', { name: 'Send code' }));
    expect(await within(group).findByRole('alert')).toHaveTextContent(
      'dave has no contact email in WHM',
    );
    await user.click(within(group).getByRole('radio', { name: 'Not verified' }));
    expect(
      within(group).getByText(/audit record will say the caller was not verified/),
    ).toBeVisible();
    await user.type(within(dialog).getByLabelText(/Reason/), 'ticket 9: verified by phone');
    await user.click(within(dialog).getByRole('button', { name: 'Remove 2FA from 1 account' }));
    await stepUp(user, dialog);
    await within(dialog).findByRole('table', { name: 'Removal results' });
    expect(within(dialog).getByTestId('removal-notices')).toHaveTextContent(
      'No contact address in WHM for dave.',
    );
    expect(bff.calls('POST', REMOVE).at(-1)?.body).not.toHaveProperty('verification');
  });

  it('when mail is off, then the dialog says no code can be sent and that nobody will be told', async () => {
    hosting('admin', (b) => {
      b.mail.mode = 'off';
    });
    const { user } = renderApp('/accounts');
    const dialog = await openRemoval(user, ['dave']);
    const group = await within(dialog).findByRole('group', { name: 'Verify the caller' });
    expect(within(group).getByText(/Mail is off/)).toBeVisible();
    expect(within(group).queryByRole('radio', { name: /Email a code/ })).toBeNull();
    await user.type(within(dialog).getByLabelText(/Reason/), 'ticket 10: lost phone');
    await user.click(within(dialog).getByRole('button', { name: 'Remove 2FA from 1 account' }));
    await stepUp(user, dialog);
    await within(dialog).findByRole('table', { name: 'Removal results' });
    expect(within(dialog).getByTestId('removal-notices')).toHaveTextContent(
      'No notice was sent to the account holders: mail is off.',
    );
  });
});
