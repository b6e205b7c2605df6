import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../testing/fake-bff';
import { currentLocation, renderApp } from '../../../testing/test-utils';
import { accountsTable, hosting } from './accounts-fixture';

describe('accounts coverage', () => {
  it('when the 2FA policy is off, then the figure says nobody is asked for a code', async () => {
    hosting('viewer', (bff) => {
      bff.policyEnabled = false;
    });
    renderApp('/accounts');
    const figure = await screen.findByTestId('coverage-count');
    expect(figure.closest('p')).toHaveTextContent(/nobody is asked for a code/);
  });

  it('when the 2FA policy is on, then the figure has no such warning', async () => {
    hosting('viewer');
    renderApp('/accounts');
    const figure = await screen.findByTestId('coverage-count');
    expect(figure.closest('p')).toHaveTextContent('3 of 4 customer accounts have 2FA set up (75%)');
    expect(screen.queryByText(/nobody is asked/)).not.toBeInTheDocument();
  });

  it('when there are thousands of accounts, then the counts have thousands separators and root is apart', async () => {
    hosting('viewer', (bff) => {
      bff.accounts = Array.from({ length: 1234 }, (_, i) => makeAccount(`user${i}`));
      bff.twoFactor = { root: false };
      bff.accounts.forEach((a, i) => (bff.twoFactor[a.user] = i < 1001));
    });
    renderApp('/accounts');
    expect(await screen.findByTestId('coverage-count')).toHaveTextContent(
      '1,001 of 1,234 customer accounts',
    );
    expect(screen.getByTestId('root-two-factor')).toHaveTextContent('has 2FA off');
    expect(screen.getByText('Showing 1,235 of 1,235 accounts')).toBeInTheDocument();
  });

  it('when one customer account is listed, then the words are singular', async () => {
    hosting('viewer', (bff) => {
      bff.accounts = [makeAccount('alice')];
      bff.twoFactor = { root: true, alice: true };
    });
    renderApp('/accounts?q=alice');
    const figure = await screen.findByTestId('coverage-count');
    expect(figure.closest('p')).toHaveTextContent('1 of 1 customer account has 2FA set up');
    expect(await screen.findByText('Showing 1 of 2 accounts')).toBeInTheDocument();
  });

  it('when the by-owner table is sorted by owner and an owner is clicked, then the order is natural and the list shows that owner', async () => {
    hosting('viewer', (bff) => {
      bff.accounts = [
        makeAccount('reseller10'),
        makeAccount('reseller2'),
        makeAccount('a1', 'reseller10'),
        makeAccount('a2', 'reseller2'),
        makeAccount('a3', 'reseller2'),
      ];
      bff.twoFactor = { root: false, a1: true };
    });
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');
    const byOwner = screen.getByRole('table', { name: '2FA coverage by owner' });
    const owners = () =>
      within(byOwner)
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent);
    expect(owners()).toEqual(['reseller2', 'root', 'reseller10']);

    await user.click(within(byOwner).getByRole('button', { name: 'Owner' }));
    expect(owners()).toEqual(['reseller2', 'reseller10', 'root']);
    await user.click(within(byOwner).getByRole('button', { name: 'Percent' }));
    expect(owners()).toEqual(['reseller2', 'root', 'reseller10']);
    await user.click(within(byOwner).getByRole('button', { name: 'Percent' }));
    expect(owners()[0]).toBe('reseller10');

    await user.click(within(byOwner).getByRole('button', { name: 'reseller10' }));
    expect(currentLocation()).toBe('/accounts?owner=reseller10');
    expect(
      within(accountsTable())
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent),
    ).toEqual(['a1']);
  });
});
