import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeAccount } from '../../../testing/fake-bff';
import { currentLocation, renderApp } from '../../../testing/test-utils';
import { accountsTable, hosting } from './accounts-fixture';

describe('owner filter', () => {
  it('when typing in the owner box, then matching owners are offered in natural order and one can be chosen and cleared', async () => {
    hosting('viewer', (bff) => {
      bff.accounts = [
        makeAccount('reseller10'),
        makeAccount('reseller2'),
        makeAccount('reseller1'),
        makeAccount('a1', 'reseller10'),
        makeAccount('a2', 'reseller2'),
        makeAccount('a3', 'reseller1'),
      ];
      bff.twoFactor = { root: false };
    });
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    const box = await screen.findByRole('combobox', { name: 'Owner' });
    await user.type(box, 'resel');
    const listbox = screen.getByRole('listbox', { name: 'Owner' });
    expect(
      within(listbox)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['reseller1', 'reseller2', 'reseller10']);

    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{Enter}');
    expect(currentLocation()).toBe('/accounts?owner=reseller10');
    expect(box).toHaveValue('reseller10');
    expect(
      within(accountsTable())
        .getAllByRole('rowheader')
        .map((cell) => cell.textContent),
    ).toEqual(['a1']);

    await user.click(screen.getByRole('button', { name: 'Any owner' }));
    expect(currentLocation()).toBe('/accounts');
    expect(box).toHaveValue('');
    // Many keystrokes and clicks: on a loaded 2-core machine this takes several seconds.
  }, 15_000);
});
