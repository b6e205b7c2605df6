import { screen, within } from '@testing-library/react';
import { installFakeBff, makeAccount, type FakeBff } from '../../../testing/fake-bff';

/** alice resells to bob; carol is suspended; root comes only from the 2FA configs. */
export function hosting(signedInAs: string, setup: (bff: FakeBff) => void = () => {}) {
  return installFakeBff((bff) => {
    bff.accounts = [
      makeAccount('alice'),
      makeAccount('bob', 'alice', { plan: 'gold' }),
      makeAccount('carol', 'root', { suspended: 1 }),
      makeAccount('dave'),
    ];
    bff.twoFactor = { root: true, alice: true, bob: false, carol: true, dave: true };
    bff.signInAs(signedInAs);
    setup(bff);
  });
}

export function accountsTable(): HTMLElement {
  return screen.getByRole('table', { name: 'Accounts' });
}

export function rowOf(user: string): HTMLElement {
  const cell = within(accountsTable()).getByRole('rowheader', { name: new RegExp(`^${user}`) });
  const row = cell.closest('tr');
  if (!row) throw new Error(`no row for ${user}`);
  return row;
}
