import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

describe('operators', () => {
  it('when an admin manages operators, then add, role change, disable and TOTP require reach the BFF', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin');
      b.operators[0]!.totpEnabled = true;
      b.operators[1]!.totpEnabled = true;
    });
    const { user } = renderApp('/operators');

    expect(await screen.findByRole('table', { name: 'Operators' })).toBeVisible();
    expect(screen.getByRole('combobox', { name: 'Role of admin' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Disable admin' })).toHaveAccessibleDescription(
      'You cannot change your own role or disable yourself.',
    );

    await user.selectOptions(screen.getByRole('combobox', { name: 'Role of viewer' }), 'support');
    expect(await screen.findByText('viewer is now support.')).toBeInTheDocument();
    expect(bff.operators[2]!.role).toBe('support');

    await user.click(screen.getByRole('button', { name: 'Disable support' }));
    const disable = await screen.findByRole('dialog', { name: 'Disable support' });
    expect(bff.operators[1]!.disabled).toBe(false);
    await user.click(within(disable).getByRole('button', { name: 'Disable support' }));
    expect(await screen.findByRole('button', { name: 'Enable support' })).toBeVisible();

    await user.click(screen.getByRole('button', { name: 'Reset TOTP of support' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Reset TOTP of support' })).getByRole(
        'button',
        { name: 'Cancel' },
      ),
    );
    expect(bff.operators[1]!.totpEnabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Reset TOTP of support' }));
    const reset = await screen.findByRole('dialog', { name: 'Reset TOTP of support' });
    await user.click(within(reset).getByRole('button', { name: 'Reset TOTP of support' }));
    expect(await screen.findByText('TOTP of support is removed.')).toBeInTheDocument();
    expect(bff.operators[1]!.totpEnabled).toBe(false);

    await user.click(screen.getByRole('checkbox', { name: 'Require TOTP for every operator' }));
    expect(await screen.findByText('Operators must now use TOTP.')).toBeInTheDocument();
    expect(bff.requireOperatorTotp).toBe(true);

    await user.type(screen.getByRole('textbox', { name: 'Username' }), 'carla');
    await user.type(screen.getByLabelText('Initial password'), 'a long enough secret');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Role' }), 'support');
    await user.click(screen.getByRole('button', { name: 'Add operator' }));
    expect(await screen.findByText('Operator carla added.')).toBeInTheDocument();
    expect(await screen.findByRole('rowheader', { name: 'carla' })).toBeVisible();
    expect(bff.calls('POST', '/api/operators')[0]?.body).toEqual({
      username: 'carla',
      password: 'a long enough secret',
      role: 'support',
    });
  });
});
