import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, VALID_CODE } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

describe('my account', () => {
  it('when changing the password with the wrong current one, then the BFF says so', async () => {
    const bff = installFakeBff((b) => b.signInAs('viewer'));
    const { user } = renderApp('/me');

    await user.type(await screen.findByLabelText('Current password'), 'wrong');
    await user.type(screen.getByLabelText('New password'), 'a brand new password');
    await user.type(screen.getByLabelText('Repeat the new password'), 'a brand new password');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The current password is wrong.');

    await user.clear(screen.getByLabelText('Current password'));
    await user.type(screen.getByLabelText('Current password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('Your password is changed.')).toBeInTheDocument();
    expect(bff.operators[2]!.password).toBe('a brand new password');
  });

  it('when enrolling own TOTP with the same wizard, then it turns on and can be turned off', async () => {
    const bff = installFakeBff((b) => b.signInAs('viewer'));
    const { user } = renderApp('/me');

    await user.click(await screen.findByRole('button', { name: 'Generate secret' }));
    expect(await screen.findByRole('img', { name: 'QR code for Console:viewer' })).toBeVisible();
    await user.type(screen.getByLabelText('6-digit code from the app'), '999999');
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/clock/);

    await user.clear(screen.getByLabelText('6-digit code from the app'));
    await user.type(screen.getByLabelText('6-digit code from the app'), VALID_CODE);
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));
    await user.click(await screen.findByRole('button', { name: 'Continue' }));
    expect(bff.operators[2]!.totpEnabled).toBe(true);

    await user.type(await screen.findByLabelText('Current code, to turn it off'), VALID_CODE);
    await user.click(screen.getByRole('button', { name: 'Turn off two-factor sign-in' }));
    expect(await screen.findByText('Two-factor sign-in is off.')).toBeInTheDocument();
    expect(bff.operators[2]!.totpEnabled).toBe(false);
  });
});
