import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { installFakeBff, makeAccount } from '../../../testing/fake-bff';
import { currentLocation, renderApp } from '../../../testing/test-utils';
import { accountsTable, hosting, rowOf } from './accounts-fixture';

const CARL_REASON =
  'You are not authorized to modify “carol”: (XID 7bq3kz) You do not have a user named “carol”.';

function readBlob(blob: Blob | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!blob) return reject(new Error('no blob'));
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(new Error('unreadable blob'));
    reader.readAsText(blob);
  });
}

describe('accounts', () => {
  it('when loaded, then listaccts and the 2FA configs are joined, root included, with coverage', async () => {
    const bff = hosting('viewer');
    renderApp('/');

    expect(await screen.findByTestId('coverage-count')).toHaveTextContent(
      '3 of 4 customer accounts',
    );
    expect(screen.getByTestId('coverage-percent')).toHaveTextContent('75%');
    expect(screen.getByTestId('root-two-factor')).toHaveTextContent('root');
    expect(screen.getByTestId('root-two-factor')).toHaveTextContent('has 2FA on');
    expect(currentLocation()).toBe('/accounts');
    expect(within(rowOf('root')).getByText('on')).toBeInTheDocument();
    expect(within(rowOf('bob')).getByText('off')).toBeInTheDocument();
    expect(within(rowOf('bob')).getByText('gold')).toBeInTheDocument();
    expect(within(rowOf('carol')).getByText('suspended')).toBeInTheDocument();

    const byOwner = screen.getByRole('table', { name: '2FA coverage by owner' });
    expect(within(byOwner).getByRole('row', { name: 'alice 1 0 0%' })).toBeInTheDocument();
    expect(within(byOwner).getByRole('row', { name: 'root 3 3 100%' })).toBeInTheDocument();

    const listaccts = bff.calls('GET', '/api/servers/local/whm/listaccts');
    expect(listaccts[0]?.search.get('want')).toBe('user,domain,owner,plan,suspended,email');
    expect(listaccts[0]?.headers.get('X-CSRF')).toBe('1');
  });

  it('when filters and sort change, then they are kept in the URL and applied', async () => {
    hosting('viewer');
    const { user } = renderApp('/accounts?suspended=no');
    await screen.findByTestId('coverage-count');
    expect(screen.getByRole('combobox', { name: 'Suspended' })).toHaveValue('no');
    expect(
      within(accountsTable()).queryByRole('rowheader', { name: /^carol/ }),
    ).not.toBeInTheDocument();

    await user.selectOptions(screen.getByRole('combobox', { name: '2FA' }), 'on');
    expect(currentLocation()).toBe('/accounts?suspended=no&tfa=on');
    expect(
      within(accountsTable()).queryByRole('rowheader', { name: /^bob/ }),
    ).not.toBeInTheDocument();

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'da');
    await waitFor(() => expect(currentLocation()).toBe('/accounts?suspended=no&tfa=on&q=da'));
    await waitFor(() =>
      expect(within(accountsTable()).queryByRole('rowheader', { name: /^alice/ })).toBeNull(),
    );
    expect(screen.getByText('Showing 1 of 5 accounts')).toBeInTheDocument();

    await user.clear(screen.getByRole('searchbox', { name: 'Search' }));
    await user.click(await screen.findByRole('combobox', { name: 'Owner' }));
    await user.click(await screen.findByRole('option', { name: 'root' }));
    await user.click(screen.getByRole('button', { name: /^User/ }));
    expect(currentLocation()).toBe('/accounts?suspended=no&tfa=on&owner=root&dir=desc');
    const users = within(accountsTable())
      .getAllByRole('row')
      .slice(1)
      .map((row) => within(row).queryByRole('rowheader')?.firstChild?.textContent)
      .filter((text) => text && ['root', 'dave', 'alice'].includes(text));
    expect(users).toEqual(['root', 'dave', 'alice']);
  });

  it('when a viewer looks, then removal is disabled with the reason', async () => {
    hosting('viewer');
    renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    const remove = screen.getByRole('button', { name: 'Remove 2FA' });
    expect(remove).toBeDisabled();
    expect(remove).toHaveAccessibleDescription('Viewers have read-only access.');
    expect(screen.getByRole('checkbox', { name: 'Select dave' })).toBeDisabled();
  });

  it('when support looks, then root and resellers cannot be selected, ordinary accounts can', async () => {
    hosting('support');
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    expect(screen.getByRole('checkbox', { name: 'Select root' })).toBeDisabled();
    expect(screen.getByRole('checkbox', { name: 'Select root' })).toHaveAccessibleDescription(
      'Support cannot change root.',
    );
    expect(screen.getByRole('checkbox', { name: 'Select alice' })).toHaveAccessibleDescription(
      'Support cannot change resellers.',
    );
    expect(screen.getByRole('checkbox', { name: 'Select alice' })).toBeDisabled();

    await user.click(
      screen.getByRole('checkbox', { name: 'Select all accounts with 2FA in this view' }),
    );
    expect(screen.getByRole('button', { name: 'Remove 2FA (2)' })).toBeEnabled();
    expect(screen.getByRole('checkbox', { name: 'Select carol' })).toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Select bob' })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Select alice' })).not.toBeChecked();
  });

  it("when a reseller owns nothing, then WHM's list still makes it one: support cannot select it, and Resellers only shows it", async () => {
    installFakeBff((bff) => {
      bff.accounts = [makeAccount('alice'), makeAccount('bob', 'alice'), makeAccount('erin')];
      bff.extraResellers = ['erin'];
      bff.twoFactor = { root: true, alice: true, bob: true, erin: true };
      bff.signInAs('support');
    });
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');
    await waitFor(() =>
      expect(screen.getByRole('checkbox', { name: 'Select erin' })).toHaveAccessibleDescription(
        'Support cannot change resellers.',
      ),
    );
    expect(screen.getByRole('checkbox', { name: 'Select erin' })).toBeDisabled();
    expect(screen.getByRole('checkbox', { name: 'Select bob' })).toBeEnabled();

    await user.click(screen.getByRole('checkbox', { name: 'Resellers only' }));
    await waitFor(() => expect(currentLocation()).toContain('resellers=only'));
    const shown = within(accountsTable())
      .getAllByRole('rowheader')
      .map((cell) => cell.textContent?.replace(/reseller$/, ''));
    expect(shown).toEqual(['alice', 'erin']);
  });

  it('when removing from several accounts, then reason, step-up and per-account results follow', async () => {
    const bff = hosting('admin');
    bff.removalFailures = { carol: CARL_REASON };
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    for (const name of ['bob', 'carol', 'dave']) {
      await user.click(screen.getByRole('checkbox', { name: `Select ${name}` }));
    }
    // bob has no 2FA: the dialog leaves him out and says so.
    await user.click(screen.getByRole('button', { name: 'Remove 2FA (2)' }));

    const dialog = screen.getByRole('dialog', { name: 'Remove 2FA from 2 accounts' });
    expect(within(dialog).getByTestId('removal-skipped')).toHaveTextContent(
      '1 selected account has no 2FA',
    );
    const names = within(dialog).getByRole('list', { name: 'Accounts to change' });
    expect(
      within(names)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['carol', 'dave']);
    const confirm = within(dialog).getByRole('button', { name: 'Remove 2FA from 2 accounts' });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/Reason/), 'ticket 42: lost phones');
    await user.click(confirm);

    const password = await within(dialog).findByLabelText('Password');
    await user.type(password, 'correct horse battery');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));

    const results = await within(dialog).findByRole('table', { name: 'Removal results' });
    expect(within(results).getByRole('row', { name: /dave Removed/ })).toBeInTheDocument();
    expect(
      within(results).getByRole('row', { name: `carol Failed ${CARL_REASON}` }),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('1 removed, 0 had no 2FA before, 1 failed.')).toBeVisible();

    const removals = bff.calls('POST', '/api/servers/local/whm/twofactorauth_remove_user_config');
    expect(removals).toHaveLength(2);
    expect(removals[1]?.body).toEqual({
      user: ['carol', 'dave'],
      reason: 'ticket 42: lost phones',
    });
    expect(bff.calls('POST', '/api/session/step-up')[0]?.body).toEqual({
      password: 'correct horse battery',
    });

    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.getByTestId('coverage-count')).toHaveTextContent('2 of 4'));
    expect(screen.getByRole('status', { name: 'Notifications' })).toHaveTextContent(
      '2FA removed from 1 of 2 accounts.',
    );
  });

  it('when WHM is down, then a banner and the message with a retry are shown', async () => {
    const bff = hosting('viewer');
    bff.whmDown = true;
    const { user } = renderApp('/accounts');

    expect(
      await screen.findByText(/WHM server “.+” unreachable: the console cannot reach it/),
    ).toBeVisible();
    expect(screen.getByText('connect ECONNREFUSED')).toBeVisible();

    bff.whmDown = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('coverage-count')).toHaveTextContent('3 of 4');
    expect(screen.queryByText(/WHM server “.+” unreachable/)).not.toBeInTheDocument();
  });

  it('when exporting, then the current view is saved as CSV', async () => {
    hosting('viewer');
    const created: Blob[] = [];
    Object.assign(URL, {
      createObjectURL: (blob: Blob) => {
        created.push(blob);
        return 'blob:accounts';
      },
      revokeObjectURL: () => {},
    });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const { user } = renderApp('/accounts?tfa=off');
    await screen.findByTestId('coverage-count');

    await user.click(screen.getByRole('button', { name: 'Export CSV' }));

    expect(click).toHaveBeenCalledOnce();
    expect(await readBlob(created[0])).toBe(
      'user,domain,owner,plan,suspended,two_factor,two_factor_available\r\nbob,bob.example.com,alice,gold,no,off,yes\r\n',
    );
  });
});
