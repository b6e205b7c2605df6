import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  installFakeBff,
  makeFleetServer,
  type FakeBff,
  type FakeFleetMatch,
} from '../../../testing/fake-bff';
import { currentLocation, renderApp } from '../../../testing/test-utils';

function fleetOf(bff: FakeBff) {
  bff.fleetServers = [
    makeFleetServer('web12', { tags: ['dc-east'], accounts: 10_000, enrolled: 3_000 }),
    makeFleetServer('web40', { tags: ['dc-west'], accounts: 30_000, enrolled: 9_345 }),
    makeFleetServer('web7', {
      tags: ['dc-east'],
      reachable: false,
      fault: 'connect ETIMEDOUT',
      policyEnabled: false,
      accounts: 0,
      enrolled: 0,
      coverage: null,
    }),
  ];
}

function match(server: string, user: string, twoFactor: FakeFleetMatch['twoFactor']) {
  return {
    server,
    serverLabel: server,
    user,
    domain: `${user}.example.com`,
    owner: 'root',
    plan: 'default',
    twoFactor,
    suspended: false,
  };
}

function serverRows(): string[] {
  const table = screen.getByRole('table', { name: 'Servers of the fleet' });
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => within(row).getAllByRole('link')[0]?.textContent ?? '');
}

describe('fleet screen', () => {
  it('when it opens, then the totals show coverage, reachable servers and the policy count', async () => {
    installFakeBff((bff) => {
      fleetOf(bff);
      bff.signInAs('viewer');
    });
    renderApp('/fleet');
    expect(await screen.findByText(/12,345 of 40,000 customer accounts have 2FA/)).toBeVisible();
    expect(screen.getByText('31%', { selector: 'strong' })).toBeVisible();
    expect(screen.getByText('2 of 3 servers reachable')).toBeVisible();
    expect(screen.getByText('policy on at 2 of 3 servers')).toBeVisible();
    expect(screen.getByText(/^as of \d\d:\d\d$/)).toBeVisible();
    expect(screen.getByText('connect ETIMEDOUT')).toBeVisible();
    expect(screen.getByRole('link', { name: 'Fleet' })).toBeVisible();
    // A viewer reads the fleet but cannot start a reading.
    expect(screen.queryByRole('button', { name: 'Refresh now' })).not.toBeInTheDocument();
  });

  it('when no server was configured, then it says the first refresh runs at start-up', async () => {
    installFakeBff((bff) => bff.signInAs('viewer'));
    renderApp('/fleet');
    expect(
      await screen.findByText('No servers yet: the first refresh runs at start-up.'),
    ).toBeVisible();
  });

  it('when the coverage header is clicked, then the rows reorder and aria-sort follows', async () => {
    installFakeBff((bff) => {
      fleetOf(bff);
      bff.fleetServers[1] = makeFleetServer('web40', { accounts: 100, enrolled: 90 });
      bff.signInAs('viewer');
    });
    const { user } = renderApp('/fleet');
    await screen.findByRole('table', { name: 'Servers of the fleet' });
    expect(serverRows()).toEqual(['web12', 'web40', 'web7']);
    const header = screen.getByRole('columnheader', { name: 'Coverage' });
    expect(header).toHaveAttribute('aria-sort', 'none');
    await user.click(within(header).getByRole('button'));
    const sorted = header.getAttribute('aria-sort');
    expect(sorted).not.toBe('none');
    const ascending = ['web7', 'web12', 'web40'];
    expect(serverRows()).toEqual(sorted === 'ascending' ? ascending : [...ascending].reverse());
    await user.click(within(header).getByRole('button'));
    expect(header).toHaveAttribute(
      'aria-sort',
      sorted === 'ascending' ? 'descending' : 'ascending',
    );
    expect(serverRows()).toEqual(sorted === 'ascending' ? [...ascending].reverse() : ascending);
  });

  it('when filtered by tag, unreachable or coverage under, then only those rows remain', async () => {
    installFakeBff((bff) => {
      fleetOf(bff);
      bff.signInAs('viewer');
    });
    const { user } = renderApp('/fleet');
    await screen.findByRole('table', { name: 'Servers of the fleet' });
    await user.selectOptions(screen.getByLabelText('Tag'), 'dc-east');
    expect(serverRows()).toEqual(['web12', 'web7']);
    await user.selectOptions(screen.getByLabelText('State'), 'unreachable');
    expect(serverRows()).toEqual(['web7']);
    await user.selectOptions(screen.getByLabelText('Tag'), '');
    await user.selectOptions(screen.getByLabelText('State'), 'coverage under X%');
    const under = screen.getByLabelText('Coverage under (%)');
    await user.clear(under);
    await user.type(under, '31');
    // web12 is at 30%, web40 at 31.15%, web7 has no coverage.
    expect(serverRows()).toEqual(['web12']);
    expect(screen.getByRole('link', { name: 'web12' })).toHaveAttribute(
      'href',
      '/accounts?server=web12',
    );
  });

  it('when a name is typed, then matches on two servers link to their accounts screens', async () => {
    const bff = installFakeBff((bff) => {
      fleetOf(bff);
      bff.fleetAccounts = [match('web12', 'bob', 'on'), match('web40', 'bob', 'off')];
      bff.signInAs('support');
    });
    const { user } = renderApp('/fleet');
    await user.type(await screen.findByLabelText('Find a user or domain on every server'), 'bob');
    const matches = await screen.findByRole('list', { name: 'Matches' });
    const links = within(matches).getAllByRole('link');
    expect(links.map((l) => l.textContent)).toEqual(['bob is on web12', 'bob is on web40']);
    expect(links[0]).toHaveAttribute('href', '/accounts?server=web12&q=bob');
    expect(links[1]).toHaveAttribute('href', '/accounts?server=web40&q=bob');
    expect(within(matches).getByText('2FA on')).toBeVisible();
    expect(within(matches).getByText('2FA off')).toBeVisible();
    // Debounced: one search for the settled text, none for "b" or "bo".
    expect(bff.calls('GET', '/api/fleet/search').map((r) => r.search.get('q'))).toEqual(['bob']);

    await user.clear(screen.getByLabelText('Find a user or domain on every server'));
    await user.type(screen.getByLabelText('Find a user or domain on every server'), 'zed');
    expect(await screen.findByText('No account matches “zed”.')).toBeVisible();
  });

  it('when an admin presses Refresh now, then it posts and shows Refreshing…', async () => {
    const bff = installFakeBff((bff) => {
      fleetOf(bff);
      bff.signInAs('admin');
    });
    const { user } = renderApp('/fleet');
    await user.click(await screen.findByRole('button', { name: 'Refresh now' }));
    expect(await screen.findByRole('button', { name: 'Refreshing…' })).toBeDisabled();
    expect(bff.calls('POST', '/api/fleet/refresh')).toHaveLength(1);
    await waitFor(() => expect(bff.calls('GET', '/api/fleet').length).toBeGreaterThan(1));
    expect(screen.getByRole('button', { name: 'Refreshing…' })).toBeDisabled();
  });

  it("when a server's row is followed, then the accounts screen talks to that server", async () => {
    installFakeBff((bff) => {
      fleetOf(bff);
      bff.servers = [
        { id: 'web12', label: 'web12', demo: false },
        { id: 'web40', label: 'web40', demo: false },
      ];
      bff.signInAs('viewer');
    });
    const { user } = renderApp('/fleet');
    await user.click(await screen.findByRole('link', { name: 'web40' }));
    expect(currentLocation()).toBe('/accounts?server=web40');
    expect(await screen.findByLabelText('WHM server')).toHaveValue('web40');
  });
});
