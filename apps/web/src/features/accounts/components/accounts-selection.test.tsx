import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { currentLocation, renderApp } from '../../../testing/test-utils';
import { accountsTable, hosting } from './accounts-fixture';

describe('accounts selection', () => {
  it('when an admin selects all, then only accounts with 2FA are taken and root only when ticked itself', async () => {
    hosting('admin');
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    await user.click(
      screen.getByRole('checkbox', { name: 'Select all accounts with 2FA in this view' }),
    );
    for (const name of ['alice', 'carol', 'dave']) {
      expect(screen.getByRole('checkbox', { name: `Select ${name}` })).toBeChecked();
    }
    expect(screen.getByRole('checkbox', { name: 'Select bob' })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'Select root' })).not.toBeChecked();
    expect(screen.getByRole('button', { name: 'Remove 2FA (3)' })).toBeEnabled();

    await user.click(screen.getByRole('checkbox', { name: 'Select root' }));
    expect(screen.getByRole('button', { name: 'Remove 2FA (4)' })).toBeEnabled();
  });

  it('when only accounts without 2FA are selected, then removal says there is nothing to remove', async () => {
    hosting('admin');
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    await user.click(screen.getByRole('checkbox', { name: 'Select bob' }));
    const remove = screen.getByRole('button', { name: 'Remove 2FA' });
    expect(remove).toBeDisabled();
    expect(remove).toHaveAccessibleDescription('None of the selected accounts has 2FA on.');
  });

  it('when a filter hides selected accounts, then the count says how many of them are shown', async () => {
    hosting('admin');
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');
    await user.click(screen.getByRole('checkbox', { name: 'Select alice' }));
    await user.click(screen.getByRole('checkbox', { name: 'Select dave' }));
    expect(screen.getByText('Showing 5 of 5 accounts, 2 selected')).toBeInTheDocument();

    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'dave');
    await waitFor(() =>
      expect(
        screen.getByText('Showing 1 of 5 accounts, 2 selected, 1 of them shown'),
      ).toBeInTheDocument(),
    );
    expect(screen.getByRole('button', { name: 'Remove 2FA (2)' })).toBeEnabled();
  });

  it('when no account matches, then "Clear filters" brings every account back', async () => {
    hosting('viewer');
    const { user } = renderApp('/accounts?q=nobody&tfa=on&sort=domain');
    expect(await screen.findByText('No account matches these filters.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(currentLocation()).toBe('/accounts?sort=domain');
    expect(screen.getByRole('searchbox', { name: 'Search' })).toHaveValue('');
    expect(within(accountsTable()).getAllByRole('rowheader')).toHaveLength(5);
  });
});
