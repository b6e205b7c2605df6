import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { GENERATED_SECRET, installFakeBff, VALID_CODE } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

const SECRET = GENERATED_SECRET.slice(0, 16);

describe('enroll wizard', () => {
  it('when the WHM user has no 2FA, then the screen says so and the wizard starts without a step-up', async () => {
    installFakeBff((b) => b.signInAs('admin'));
    renderApp('/enroll');
    expect(await screen.findByTestId('whm-user-two-factor')).toHaveTextContent(
      'The WHM user does not have two-factor authentication yet.',
    );
    expect(await screen.findByRole('button', { name: 'Generate secret' })).toBeInTheDocument();
    expect(screen.queryByText(/stops working/)).not.toBeInTheDocument();
  });

  it('when the WHM user already has 2FA, then the screen says the old entry stops working and asks for a step-up before the wizard', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin');
      b.twoFactor.root = true;
    });
    const { user } = renderApp('/enroll');
    expect(await screen.findByTestId('whm-user-two-factor')).toHaveTextContent(
      'The WHM user has two-factor authentication on.',
    );
    expect(
      screen.getByText(/the authenticator app that has the old one stops working/),
    ).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Generate secret' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Replace the secret' }));
    const form = screen.getByRole('form', { name: 'Confirm it is you' });
    await user.type(within(form).getByLabelText('Password'), 'correct horse battery');
    await user.click(within(form).getByRole('button', { name: 'Confirm' }));

    await user.click(await screen.findByRole('button', { name: 'Generate secret' }));
    await user.type(await screen.findByLabelText('6-digit code from the app'), VALID_CODE);
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));
    expect(
      await screen.findByText('Two-factor authentication is on for the WHM user.'),
    ).toBeInTheDocument();
    expect(bff.calls('POST', '/api/session/step-up')).toHaveLength(1);
  });

  it('when the code is wrong, then it says so, hints at the clock and keeps the secret; then succeeds', async () => {
    const bff = installFakeBff((b) => b.signInAs('admin'));
    const { user } = renderApp('/enroll');

    await user.click(await screen.findByRole('button', { name: 'Generate secret' }));

    const qr = await screen.findByRole('img', { name: 'QR code for server.example.com:root' });
    expect(qr.getAttribute('height')).toBe('224');
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'Time left for the current code' }),
    ).toBeVisible();
    expect(screen.getByText(/Codes change every 30 seconds/)).toBeVisible();

    const code = screen.getByLabelText('6-digit code from the app');
    expect(code).toHaveAttribute('autocomplete', 'one-time-code');
    expect(code).toHaveAttribute('inputmode', 'numeric');
    await user.click(code);
    await user.paste('000 111');
    expect(code).toHaveValue('000111');
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));

    const error = await screen.findByRole('alert');
    expect(error).toHaveTextContent('The security code is invalid.');
    expect(error).toHaveTextContent(/clock/);
    expect(screen.getByText('JBSW Y3DP EHPK 3PXP')).toBeInTheDocument();
    expect(code).toHaveValue('');
    expect(code).toHaveFocus();

    await user.type(code, VALID_CODE);
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));

    expect(
      await screen.findByText('Two-factor authentication is on for the WHM user.'),
    ).toBeInTheDocument();
    const sets = bff.calls('POST', '/api/servers/local/whm/twofactorauth_set_tfa_config');
    expect(sets.map((call) => call.body)).toEqual([
      { secret: SECRET, tfa_token: '000111' },
      { secret: SECRET, tfa_token: VALID_CODE },
    ]);
    expect(bff.twoFactor.root).toBe(true);
  });

  it('when leaving the wizard, then the secret is gone from the page, the caches and the URL', async () => {
    installFakeBff((b) => b.signInAs('admin'));
    const { user, queryClient } = renderApp('/enroll');

    await user.click(await screen.findByRole('button', { name: 'Generate secret' }));
    await screen.findByText('JBSW Y3DP EHPK 3PXP');
    expect(queryClient.getMutationCache().getAll().length).toBeGreaterThan(0);

    const nav = screen.getByRole('navigation', { name: 'Main' });
    await user.click(within(nav).getByRole('link', { name: 'Policy' }));
    await screen.findByTestId('policy-state');

    expect(document.body.textContent).not.toContain('JBSW');
    expect(queryClient.getMutationCache().getAll()).toHaveLength(0);
    const cached = JSON.stringify(
      queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.state.data),
    );
    expect(cached).not.toContain(SECRET);
    expect(window.location.href).not.toContain(SECRET);

    await user.click(within(nav).getByRole('link', { name: 'Enroll' }));
    expect(await screen.findByRole('button', { name: 'Generate secret' })).toBeInTheDocument();
  });
});
