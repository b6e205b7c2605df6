import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, VALID_CODE } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

describe('policy', () => {
  it('when an admin turns the policy off, then it asks first, steps up, and shows it off', async () => {
    const bff = installFakeBff((b) => b.signInAs('admin'));
    const { user } = renderApp('/policy');

    expect(await screen.findByTestId('policy-state')).toHaveTextContent('on');
    await user.click(screen.getByRole('button', { name: 'Turn policy off' }));

    const dialog = screen.getByRole('dialog', { name: 'Turn the 2FA policy off?' });
    expect(dialog).toHaveTextContent('Nobody is asked for a code');
    expect(dialog).toHaveTextContent('keeps its 2FA secret');
    expect(bff.policyEnabled).toBe(true);

    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));
    await user.type(await within(dialog).findByLabelText('Password'), 'correct horse battery');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByText('The 2FA policy is off.')).toBeInTheDocument();
    expect(await screen.findByTestId('policy-state')).toHaveTextContent('off');
    expect(bff.policyEnabled).toBe(false);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('when the admin cancels, then nothing changes', async () => {
    const bff = installFakeBff((b) => b.signInAs('admin'));
    const { user } = renderApp('/policy');

    await user.click(await screen.findByRole('button', { name: 'Turn policy off' }));
    await user.keyboard('{Escape}');

    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(bff.calls('POST', '/api/servers/local/whm/twofactorauth_disable_policy')).toHaveLength(
      0,
    );
  });

  it('when support looks, then the toggle is disabled with the reason', async () => {
    installFakeBff((b) => b.signInAs('support'));
    renderApp('/policy');

    const toggle = await screen.findByRole('button', { name: 'Turn policy off' });
    expect(toggle).toBeDisabled();
    expect(toggle).toHaveAccessibleDescription('Only admins can do this.');
  });

  it('when the admin has TOTP, then the step-up asks for a code, not the password', async () => {
    const bff = installFakeBff((b) => {
      b.operators[0]!.totpEnabled = true;
      b.signInAs('admin');
    });
    const { user } = renderApp('/policy');

    await user.click(await screen.findByRole('button', { name: 'Turn policy off' }));
    const dialog = screen.getByRole('dialog', { name: 'Turn the 2FA policy off?' });
    await user.click(within(dialog).getByRole('button', { name: 'Turn off' }));
    await user.type(await within(dialog).findByLabelText('Authentication code'), VALID_CODE);
    await user.click(within(dialog).getByRole('button', { name: 'Confirm' }));

    expect(await screen.findByText('The 2FA policy is off.')).toBeInTheDocument();
    expect(bff.calls('POST', '/api/session/step-up')[0]?.body).toEqual({ totp: VALID_CODE });
  });

  it('when turning it back on, then no step-up is needed', async () => {
    const bff = installFakeBff((b) => {
      b.policyEnabled = false;
      b.signInAs('admin');
    });
    const { user } = renderApp('/policy');

    expect(await screen.findByTestId('policy-state')).toHaveTextContent('off');
    await user.click(screen.getByRole('button', { name: 'Turn policy on' }));
    const dialog = screen.getByRole('dialog', { name: 'Turn the 2FA policy on?' });
    await user.click(within(dialog).getByRole('button', { name: 'Turn on' }));

    expect(await screen.findByText('The 2FA policy is on.')).toBeInTheDocument();
    expect(bff.policyEnabled).toBe(true);
  });
});
