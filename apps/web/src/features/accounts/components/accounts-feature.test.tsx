import { screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { currentLocation, renderApp } from '../../../testing/test-utils';
import { accountsTable, hosting, rowOf } from './accounts-fixture';

function readBlob(blob: Blob | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!blob) return reject(new Error('no blob'));
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(new Error('unreadable blob'));
    reader.readAsText(blob);
  });
}

function captureCsv(): Blob[] {
  const created: Blob[] = [];
  Object.assign(URL, {
    createObjectURL: (blob: Blob) => {
      created.push(blob);
      return 'blob:accounts';
    },
    revokeObjectURL: () => {},
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
  return created;
}

function shownUsers(): (string | null)[] {
  return within(accountsTable())
    .getAllByRole('rowheader')
    .map((cell) => cell.firstChild?.textContent ?? null);
}

// bob is on `gold`; the others on `default`.
describe('accounts on packages without the 2FA feature', () => {
  it('when the package lacks the feature, then the account is kept out of the percentage, counted apart and labelled', async () => {
    hosting('viewer', (bff) => {
      bff.packagesWithoutTwoFactor = ['gold'];
    });
    renderApp('/accounts');
    expect(await screen.findByTestId('coverage-unavailable')).toHaveTextContent(
      'Not counted: 1 customer account on packages without the 2FA feature',
    );
    expect(screen.getByTestId('coverage-count').closest('p')).toHaveTextContent(
      '3 of 3 customer accounts have 2FA set up (100%)',
    );
    expect(within(rowOf('bob')).getByText('2FA not available on this package')).toBeInTheDocument();
    expect(within(rowOf('alice')).getByText('on')).toBeInTheDocument();
    expect(screen.queryByTestId('coverage-not-feature-aware')).not.toBeInTheDocument();
  });

  it('when filtering on "not available", then only those accounts show, and off leaves them out', async () => {
    hosting('viewer', (bff) => {
      bff.packagesWithoutTwoFactor = ['gold'];
      bff.twoFactor.dave = false;
    });
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-unavailable');
    const select = screen.getByRole('combobox', { name: '2FA' });
    await user.selectOptions(select, 'unavailable');
    expect(currentLocation()).toBe('/accounts?tfa=unavailable');
    expect(shownUsers()).toEqual(['bob']);
    await user.selectOptions(select, 'off');
    expect(shownUsers()).toEqual(['dave']);
  });

  it('when "Show it" is clicked in the coverage, then the list is filtered to those accounts', async () => {
    hosting('viewer', (bff) => {
      bff.packagesWithoutTwoFactor = ['gold'];
    });
    const { user } = renderApp('/accounts');
    const note = await screen.findByTestId('coverage-unavailable');
    await user.click(within(note).getByRole('button', { name: 'Show it' }));
    expect(currentLocation()).toBe('/accounts?tfa=unavailable');
    expect(shownUsers()).toEqual(['bob']);
  });

  it('when exporting, then the CSV says which accounts cannot have 2FA', async () => {
    hosting('viewer', (bff) => {
      bff.packagesWithoutTwoFactor = ['gold'];
    });
    const created = captureCsv();
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-unavailable');
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await readBlob(created[0])).toBe(
      'user,domain,owner,plan,suspended,two_factor,two_factor_available\r\n' +
        'alice,alice.example.com,root,default,no,on,yes\r\n' +
        'bob,bob.example.com,alice,gold,no,off,no\r\n' +
        'carol,carol.example.com,root,default,yes,on,yes\r\n' +
        'dave,dave.example.com,root,default,no,on,yes\r\n' +
        'root,server.example.com,root,,no,on,yes\r\n',
    );
  });

  it('when the BFF cannot read the packages, then coverage says it is not feature-aware and counts everyone', async () => {
    hosting('viewer', (bff) => {
      bff.packagesWithoutTwoFactor = null;
    });
    const created = captureCsv();
    const { user } = renderApp('/accounts?q=bob');
    expect(await screen.findByTestId('coverage-not-feature-aware')).toHaveTextContent(
      'Coverage is not feature-aware',
    );
    expect(screen.getByTestId('coverage-count')).toHaveTextContent('3 of 4 customer accounts');
    expect(screen.queryByTestId('coverage-unavailable')).not.toBeInTheDocument();
    expect(within(rowOf('bob')).getByText('off')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await readBlob(created[0])).toContain('bob,bob.example.com,alice,gold,no,off,unknown');
  });
});
