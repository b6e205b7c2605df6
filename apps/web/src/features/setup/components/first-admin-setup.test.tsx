import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, type FakeBff } from '../../../testing/fake-bff';
import { currentLocation, renderApp } from '../../../testing/test-utils';

const TOKEN = 'printed-token-abc';
const PASSWORD = 'a long first password';

function noOperatorYet(extra: (bff: FakeBff) => void = () => {}) {
  return installFakeBff((bff) => {
    bff.operators = [];
    bff.setup = { token: TOKEN };
    extra(bff);
  });
}

async function fillIn(user: ReturnType<typeof renderApp>['user'], username = 'first-admin') {
  await user.type(await screen.findByLabelText('Username'), username);
  await user.type(screen.getByLabelText('Password'), PASSWORD);
  await user.type(screen.getByLabelText('Repeat the password'), PASSWORD);
}

describe('the first admin from the setup link', () => {
  it('when the printed link is opened, then the token leaves the address bar, the admin is made with it and signed in, and TOTP setup is offered', async () => {
    const bff = noOperatorYet();
    const { user } = renderApp(`/setup#token=${TOKEN}`);

    const form = await screen.findByRole('form', { name: 'Create the first admin' });
    expect(currentLocation()).toBe('/setup');
    expect(within(form).queryByLabelText('Setup token')).not.toBeInTheDocument();
    expect(form).toHaveTextContent('Username: 2 to 32 characters');
    expect(form).toHaveTextContent('Password: 12 to 256 characters.');
    await fillIn(user);
    await user.click(screen.getByRole('button', { name: 'Create admin' }));

    const done = await screen.findByRole('heading', { name: 'You are the first admin' });
    expect(done).toHaveFocus();
    expect(bff.calls('POST', '/api/setup').map((call) => call.body)).toEqual([
      { token: TOKEN, username: 'first-admin', password: PASSWORD },
    ]);
    expect(screen.getByRole('button', { name: 'Later' })).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Set up your own TOTP now' }));

    expect(await screen.findByRole('heading', { name: 'My account' })).toBeInTheDocument();
    expect(currentLocation()).toBe('/me');
    expect(screen.getByText('first-admin', { selector: 'strong' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Two-factor sign-in' })).toBeInTheDocument();
  });

  it('when the admin chooses Later, then the console opens on the accounts', async () => {
    noOperatorYet();
    const { user } = renderApp(`/setup#token=${TOKEN}`);
    await fillIn(user);
    await user.click(screen.getByRole('button', { name: 'Create admin' }));
    await user.click(await screen.findByRole('button', { name: 'Later' }));
    expect(await screen.findByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
    expect(currentLocation()).toBe('/accounts');
  });

  it('when the token is wrong or expired, then the BFF says so and the form stays', async () => {
    const bff = noOperatorYet();
    const { user } = renderApp('/setup#token=not-the-printed-one');
    await fillIn(user);
    await user.click(screen.getByRole('button', { name: 'Create admin' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This setup link is not valid.');

    bff.setup = { token: 'not-the-printed-one', expired: true };
    await user.click(screen.getByRole('button', { name: 'Create admin' }));
    expect(await screen.findByText('This setup link has expired.')).toBeVisible();
    expect(screen.getByRole('form', { name: 'Create the first admin' })).toBeInTheDocument();
    expect(bff.operators).toEqual([]);
  });

  it('when the username breaks the rule or the passwords differ, then the form says so and sends nothing', async () => {
    const bff = noOperatorYet();
    const { user } = renderApp(`/setup#token=${TOKEN}`);
    const username = await screen.findByLabelText('Username');
    await user.type(username, 'First Admin');
    expect(username).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByRole('button', { name: 'Create admin' })).toBeDisabled();
    await user.clear(username);
    await user.type(username, 'first-admin');
    await user.type(screen.getByLabelText('Password'), PASSWORD);
    await user.type(screen.getByLabelText('Repeat the password'), `${PASSWORD}!`);
    expect(screen.getByRole('alert')).toHaveTextContent('The two passwords differ.');
    expect(screen.getByRole('button', { name: 'Create admin' })).toBeDisabled();
    expect(bff.calls('POST', '/api/setup')).toEqual([]);
  });

  it('when the link lost its token, then the token can be pasted', async () => {
    const bff = noOperatorYet();
    const { user } = renderApp('/setup');
    await user.type(await screen.findByLabelText('Setup token'), TOKEN);
    await fillIn(user);
    await user.click(screen.getByRole('button', { name: 'Create admin' }));
    await screen.findByRole('heading', { name: 'You are the first admin' });
    expect(bff.calls('POST', '/api/setup')[0]?.body).toMatchObject({ token: TOKEN });
  });

  it('when an operator exists, then the page says setup is closed and leads to sign-in', async () => {
    installFakeBff();
    const { user } = renderApp(`/setup#token=${TOKEN}`);
    expect(await screen.findByRole('heading', { name: 'Setup is closed' })).toBeVisible();
    expect(currentLocation()).toBe('/setup');
    await user.click(screen.getByRole('link', { name: 'Go to sign-in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  it('when an operator was made while the form was open, then the page says setup is closed', async () => {
    const bff = noOperatorYet();
    const { user } = renderApp(`/setup#token=${TOKEN}`);
    await fillIn(user);
    bff.setup = null;
    await user.click(screen.getByRole('button', { name: 'Create admin' }));
    expect(await screen.findByRole('heading', { name: 'Setup is closed' })).toBeVisible();
  });
});

describe('the sign-in page on the first run', () => {
  const NOTICE =
    'No operator exists yet: open the setup link the console printed when it started (or run npm run operators -- add NAME admin).';

  it('when no operator exists, then it says where the setup link is', async () => {
    noOperatorYet();
    renderApp('/login');
    const notice = await screen.findByRole('region', { name: 'First run' });
    expect(notice).toHaveTextContent(NOTICE);
  });

  it('when operators exist, then it says nothing about setup', async () => {
    const bff = installFakeBff();
    renderApp('/login');
    await screen.findByRole('heading', { name: 'Sign in' });
    await expect.poll(() => bff.calls('GET', '/api/setup').length).toBe(1);
    expect(screen.queryByRole('region', { name: 'First run' })).not.toBeInTheDocument();
  });
});
