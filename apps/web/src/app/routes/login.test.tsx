import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, makeAccount, VALID_CODE } from '../../testing/fake-bff';
import { currentLocation, renderApp } from '../../testing/test-utils';

function withAccounts() {
  return installFakeBff((bff) => {
    bff.accounts = [makeAccount('alice'), makeAccount('bob', 'alice')];
    bff.twoFactor = { root: true, alice: false, bob: true };
    bff.operators[0]!.totpEnabled = true;
  });
}

describe('sign-in', () => {
  it('when no session, then a deep link goes to sign-in and, after password and code, back to it', async () => {
    const bff = withAccounts();
    const { user } = renderApp('/accounts?tfa=on');

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(currentLocation()).toBe('/login?next=%2Faccounts%3Ftfa%3Don');

    await user.type(screen.getByLabelText('Username'), 'admin');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    const code = await screen.findByLabelText('Authentication code');
    expect(code).toHaveFocus();
    await user.type(code, VALID_CODE);
    await user.click(screen.getByRole('button', { name: 'Verify' }));

    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
    expect(currentLocation()).toBe('/accounts?tfa=on');
    expect(screen.getByRole('combobox', { name: '2FA' })).toHaveValue('on');
    const login = bff.calls('POST', '/api/session');
    expect(login.at(-1)?.body).toEqual({
      username: 'admin',
      password: 'correct horse battery',
      totp: VALID_CODE,
    });
  });

  it('when the console runs in demo mode, then sign-in names the product and the demo sign-ins with their roles', async () => {
    installFakeBff((b) => {
      b.signInInfo = {
        product: 'Two-factor console',
        demo: {
          operators: [
            { username: 'admin', role: 'admin' },
            { username: 'support', role: 'support' },
          ],
          password: 'demo',
        },
        sso: null,
      };
    });
    renderApp('/login');
    expect(await screen.findByText('Two-factor console')).toBeVisible();
    const demo = await screen.findByRole('region', { name: 'Demo sign-ins' });
    expect(demo).toHaveTextContent('admin, an admin');
    expect(demo).toHaveTextContent('support, a support operator');
    expect(demo).toHaveTextContent('Password: demo');
  });

  it('when the console is not in demo mode, then no demo sign-ins show', async () => {
    installFakeBff();
    renderApp('/login');
    expect(await screen.findByText('Two-factor console')).toBeVisible();
    expect(screen.queryByRole('region', { name: 'Demo sign-ins' })).not.toBeInTheDocument();
  });

  it('when the password is wrong, then the BFF message is shown and no code is asked', async () => {
    withAccounts();
    const { user } = renderApp('/login');

    await user.type(await screen.findByLabelText('Username'), 'support');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong username, password or code.');
    expect(screen.queryByLabelText('Authentication code')).not.toBeInTheDocument();
  });

  it('when the session expires while working, then sign-in is shown with the way back', async () => {
    const bff = withAccounts();
    bff.signInAs('viewer');
    const { user, queryClient } = renderApp('/accounts?owner=alice');
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();

    bff.expireSession();
    await queryClient.invalidateQueries();

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(currentLocation()).toBe('/login?next=%2Faccounts%3Fowner%3Dalice');

    await user.type(screen.getByLabelText('Username'), 'viewer');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(currentLocation()).toBe('/accounts?owner=alice'));
  });

  it('when an admin requires operator TOTP, then sign-in continues with the enrollment wizard', async () => {
    const bff = installFakeBff((b) => {
      b.requireOperatorTotp = true;
    });
    const { user } = renderApp('/login?next=%2Fpolicy');

    await user.type(await screen.findByLabelText('Username'), 'viewer');
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    await user.click(await screen.findByRole('button', { name: 'Generate secret' }));
    await user.type(await screen.findByLabelText('6-digit code from the app'), VALID_CODE);
    await user.click(screen.getByRole('button', { name: 'Verify and turn on' }));
    await user.click(await screen.findByRole('button', { name: 'Continue' }));

    await waitFor(() => expect(currentLocation()).toBe('/policy'));
    expect(bff.operators[2]!.totpEnabled).toBe(true);
  });

  it('when signing out, then the session ends and sign-in shows without the old data', async () => {
    const bff = withAccounts();
    bff.signInAs('viewer');
    const { user, queryClient } = renderApp('/accounts');
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Sign out' }));

    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    expect(bff.session).toBeNull();
    // Only the session and what the sign-in page shows anyone (product, demo sign-ins, setup) remain.
    expect(
      queryClient
        .getQueryCache()
        .getAll()
        .map((q) => q.queryKey[0])
        .filter((key) => key !== 'sign-in-info' && key !== 'setup'),
    ).toEqual(['session']);
  });

  it('when single sign-on is configured, then sign-in offers it and says why an attempt failed', async () => {
    installFakeBff((b) => {
      b.signInInfo = { product: 'Two-factor console', demo: null, sso: { label: 'Example ID' } };
    });
    renderApp('/login?sso_error=no_role');
    const link = await screen.findByRole('link', { name: 'Sign in with Example ID' });
    expect(link).toHaveAttribute('href', '/api/sso/start?intent=sign-in&return=%2F');
    expect(screen.getByRole('alert')).toHaveTextContent(
      'in no group that has access to this console',
    );
  });

  it('when a hosted demo shows its sign-ins, then each has its own password and the reset time shows', async () => {
    installFakeBff((b) => {
      b.signInInfo = {
        product: 'Two-factor console',
        demo: {
          operators: [{ username: 'admin', role: 'admin', password: 'Rnd0mPassw0rd-x' }],
          password: null,
          hosted: { showSignIns: true },
        },
        sso: null,
      };
    });
    renderApp('/login');
    const demo = await screen.findByRole('region', { name: 'Demo sign-ins' });
    expect(demo).toHaveTextContent('admin, an admin: password Rnd0mPassw0rd-x');
    expect(demo).toHaveTextContent('Other visitors use these sign-ins too');
    expect(await screen.findByRole('status', { name: 'Hosted demo' })).toHaveTextContent(
      /reset in 2[23] minutes/,
    );
  });
});
