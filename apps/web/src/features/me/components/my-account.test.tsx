import { screen, within } from '@testing-library/react';
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
    expect(
      await screen.findByText('Your password is changed. Your other sessions are signed out.'),
    ).toBeInTheDocument();
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
    const continueButton = await screen.findByRole('button', { name: 'Continue' });
    // Once the wizard says it is on, nothing above it may still say "Off".
    const section = screen.getByRole('region', { name: 'Two-factor sign-in' });
    expect(section).not.toHaveTextContent(/Off:/);
    expect(section).toHaveTextContent(/^Two-factor sign-inOn:/);
    await user.click(continueButton);
    expect(bff.operators[2]!.totpEnabled).toBe(true);

    await user.type(await screen.findByLabelText('Current code, to turn it off'), VALID_CODE);
    await user.click(screen.getByRole('button', { name: 'Turn off two-factor sign-in' }));
    expect(await screen.findByText('Two-factor sign-in is off.')).toBeInTheDocument();
    expect(bff.operators[2]!.totpEnabled).toBe(false);
  });
});

describe('my account: sessions', () => {
  it('when an operator looks at its sessions, then each shows when, where and which is this one, and the others can be ended', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('support');
      b.ownSessions = [
        {
          id: 'a'.repeat(32),
          createdAt: '2026-11-22T10:00:00.000Z',
          lastSeenAt: '2026-11-22T12:00:00.000Z',
          sourceIp: '127.0.0.1',
          userAgent: 'Laptop browser',
          current: true,
        },
        {
          id: 'b'.repeat(32),
          createdAt: '2026-11-21T10:00:00.000Z',
          lastSeenAt: '2026-11-21T11:00:00.000Z',
          sourceIp: '10.0.0.7',
          userAgent: 'Phone browser',
          current: false,
        },
        {
          id: 'c'.repeat(32),
          createdAt: '2026-11-20T10:00:00.000Z',
          lastSeenAt: '2026-11-20T11:00:00.000Z',
          sourceIp: null,
          userAgent: null,
          current: false,
        },
      ];
    });
    const { user } = renderApp('/me');

    expect(await screen.findByText(/Signed in as/)).toHaveTextContent(
      'Signed in as support, a support operator.',
    );
    const list = await screen.findByRole('list', { name: 'Your sessions' });
    const current = within(list).getByRole('listitem', { name: 'Laptop browser (this session)' });
    expect(current).toHaveTextContent(/2026-11-22 \d\d:00:00 \S+/);
    expect(within(current).queryByRole('button')).not.toBeInTheDocument();
    const phone = within(list).getByRole('listitem', { name: 'Phone browser' });
    expect(phone).toHaveTextContent('10.0.0.7');
    await user.click(within(phone).getByRole('button', { name: 'End this session' }));
    expect(await screen.findByText('That session is ended.')).toBeInTheDocument();
    expect(bff.ownSessions.map((s) => s.userAgent)).toEqual(['Laptop browser', null]);

    await user.click(screen.getByRole('button', { name: 'End all other sessions' }));
    expect(await screen.findByText('Signed out of 1 other session.')).toBeInTheDocument();
    expect(bff.ownSessions).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'End all other sessions' })).toBeDisabled();
  });
});
