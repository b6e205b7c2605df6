import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, makeAccount } from '../../testing/fake-bff';
import { currentLocation, renderApp } from '../../testing/test-utils';

describe('app shell', () => {
  it('when more than one server is configured, then home is the fleet; with one, its accounts', async () => {
    installFakeBff((b) => {
      b.servers = [
        { id: 'local', label: 'Local WHM', demo: false },
        { id: 'eu1', label: 'EU 1', demo: false },
      ];
      b.signInAs('viewer');
    });
    renderApp('/');
    await waitFor(() => expect(currentLocation()).toBe('/fleet'));
  });

  it('when an admin may use no server, then the server screens say how to add one and Servers still opens', async () => {
    installFakeBff((b) => {
      b.servers = [];
      b.signInAs('admin');
    });
    const { user } = renderApp('/accounts');
    expect(
      await screen.findByText('No WHM server is configured that your operator may use.'),
    ).toBeVisible();
    await user.click(screen.getByRole('link', { name: 'Add a WHM server' }));
    expect(await screen.findByRole('heading', { name: 'WHM servers', level: 1 })).toBeVisible();
    expect(currentLocation()).toBe('/servers');
  });

  it('when one server is configured, then home is its accounts', async () => {
    installFakeBff((b) => b.signInAs('viewer'));
    renderApp('/');
    await waitFor(() => expect(currentLocation()).toBe('/accounts'));
  });

  it('when several WHM servers are configured, then a switcher picks the one every call goes to', async () => {
    const bff = installFakeBff((b) => {
      b.servers = [
        { id: 'local', label: 'Local WHM', demo: false },
        { id: 'eu1', label: 'EU 1', demo: false },
      ];
      b.accounts = [makeAccount('alice')];
      b.signInAs('viewer');
    });
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    const switcher = screen.getByRole('combobox', { name: 'WHM server' });
    expect(
      within(switcher)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Local WHM', 'EU 1']);
    await user.selectOptions(switcher, 'eu1');

    await screen.findByTestId('coverage-count');
    expect(bff.calls('GET', '/api/servers/eu1/whm/listaccts')).toHaveLength(1);
  });

  it('when there is one server, then its label is shown on every screen', async () => {
    installFakeBff((b) => {
      b.servers = [{ id: 'local', label: 'Frankfurt 2', demo: false }];
      b.signInAs('admin');
    });
    const { user } = renderApp('/policy');
    await screen.findByTestId('policy-state');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    for (const link of ['Accounts', 'Issuer', 'Enroll', 'Audit', 'Policy']) {
      await user.click(within(nav).getByRole('link', { name: link }));
      expect(await screen.findByTestId('server-label')).toHaveTextContent('WHM server Frankfurt 2');
    }
  });

  it('when WHM is unreachable before anything loaded, then the banner names the server and does not claim data is shown', async () => {
    installFakeBff((b) => {
      b.servers = [{ id: 'local', label: 'Frankfurt 2', demo: false }];
      b.whmDown = true;
      b.signInAs('viewer');
    });
    renderApp('/policy');
    const banner = await screen.findByText(/unreachable: the console cannot reach it/);
    expect(banner).toHaveTextContent(
      'WHM server “Frankfurt 2” unreachable: the console cannot reach it right now. No data from it can be shown until it answers.',
    );
    expect(banner).not.toHaveTextContent('Data shown');
  });

  it('when there is one server, then no switcher is shown', async () => {
    installFakeBff((b) => b.signInAs('viewer'));
    renderApp('/policy');
    await screen.findByTestId('policy-state');
    expect(screen.queryByRole('combobox', { name: 'WHM server' })).not.toBeInTheDocument();
  });
});
