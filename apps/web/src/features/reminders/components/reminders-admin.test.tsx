import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  installFakeBff,
  makeFleetServer,
  type FakeBff,
  type FakeFleetMatch,
} from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

function account(
  server: string,
  user: string,
  extra: Partial<FakeFleetMatch> = {},
): FakeFleetMatch {
  return {
    server,
    serverLabel: server,
    user,
    domain: `${user}.example.com`,
    owner: 'root',
    plan: 'basic',
    twoFactor: 'off',
    suspended: false,
    ...extra,
  };
}

function fleetOf(bff: FakeBff) {
  bff.signInAs('admin');
  bff.fleetServers = [
    makeFleetServer('web01', { tags: ['eu-west'] }),
    makeFleetServer('web02', { tags: ['us-east'] }),
  ];
  bff.reminderAccounts = [
    account('web01', 'alice'),
    account('web01', 'bob', { owner: 'reseller1' }),
    account('web01', 'carol', { twoFactor: 'on' }),
    account('web01', 'dave', { twoFactor: 'unavailable', plan: 'starter' }),
    account('web02', 'erin'),
    account('web02', 'frank'),
  ];
  bff.withoutContact = new Set(['frank']);
}

describe('the reminders screen', () => {
  it('when an admin previews all servers, then it counts who would be reminded and who is left out and why, and names them', async () => {
    installFakeBff(fleetOf);
    const { user } = renderApp('/reminders');
    expect(await screen.findByText('No reminders have been sent yet.')).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    expect(await screen.findByTestId('reminder-count')).toHaveTextContent(
      '3 accounts would get a reminder.',
    );
    expect(
      screen.getByText(/Left out: 1 no contact address in WHM · 1 their package has no 2FA\./),
    ).toBeVisible();
    expect(screen.getByText(/1 account already has 2FA/)).toBeVisible();
    const names = within(screen.getByRole('list', { name: 'Accounts to remind' }))
      .getAllByRole('listitem')
      .map((item) => item.querySelector('strong')?.textContent);
    expect(names).toEqual(['alice', 'bob', 'erin']);
  });

  it('when the filter is a tag and an owner, then that is what the BFF is asked', async () => {
    const bff = installFakeBff(fleetOf);
    const { user } = renderApp('/reminders');
    await user.click(await screen.findByRole('radio', { name: 'Servers with a tag' }));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Tag' }), 'eu-west');
    await user.type(screen.getByRole('textbox', { name: 'Owner (optional)' }), 'reseller1');
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    expect(await screen.findByTestId('reminder-count')).toHaveTextContent('1 account would');
    expect(bff.calls('POST', '/api/reminders/preview').at(-1)?.body).toEqual({
      tag: 'eu-west',
      owner: 'reseller1',
    });
  });

  it('when the admin confirms "Send", then the reminders go with the previewed filter and the campaign shows "N reminded on …, 0 enrolled since"', async () => {
    const bff = installFakeBff(fleetOf);
    const { user } = renderApp('/reminders');
    await user.click(await screen.findByRole('button', { name: 'Preview' }));
    await user.click(await screen.findByRole('button', { name: 'Send 3 reminders' }));
    const dialog = await screen.findByRole('dialog', { name: 'Send 3 reminders' });
    expect(dialog).toHaveTextContent('how to set up two-factor authentication in cPanel');
    expect(bff.calls('POST', '/api/reminders')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Send 3 reminders' }));
    await waitFor(() => expect(bff.calls('POST', '/api/reminders')).toHaveLength(1));
    expect(bff.calls('POST', '/api/reminders')[0]?.body).toEqual({});
    const campaigns = await screen.findByRole('list', { name: 'Campaigns' });
    expect(
      await within(campaigns).findByText(/^3 reminded on \d{1,2} [A-Z][a-z]{2}, 0 enrolled since$/),
    ).toBeVisible();
    // The preview is gone once sent: a second send needs a fresh preview, which skips them.
    expect(screen.queryByTestId('reminder-count')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Preview' }));
    expect(await screen.findByText('Nobody to remind with this filter.')).toBeVisible();
    expect(screen.getByText(/3 reminded recently/)).toBeVisible();
    expect(screen.getByRole('button', { name: 'Send 0 reminders' })).toBeDisabled();
  });

  it('when mail is off, then the preview says so and nothing can be sent', async () => {
    installFakeBff((bff) => {
      fleetOf(bff);
      bff.mail.mode = 'off';
    });
    const { user } = renderApp('/reminders');
    await user.click(await screen.findByRole('button', { name: 'Preview' }));
    expect(await screen.findByText(/Mail is off/)).toBeVisible();
    expect(screen.getByRole('button', { name: 'Send 3 reminders' })).toBeDisabled();
  });

  it('when the campaigns cannot be read, then an error with a retry shows, and the retry reads them', async () => {
    const bff = installFakeBff((b) => {
      fleetOf(b);
      b.remindersFail = true;
    });
    const { user } = renderApp('/reminders');
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Something went wrong');
    bff.remindersFail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('No reminders have been sent yet.')).toBeVisible();
  });

  it('when support opens it, then the screen is refused and the navigation has no entry', async () => {
    installFakeBff((bff) => {
      fleetOf(bff);
      bff.signInAs('support');
    });
    renderApp('/reminders');
    expect(await screen.findByText(/Enrollment reminders/)).toBeVisible();
    expect(screen.queryByRole('link', { name: 'Reminders' })).toBeNull();
  });
});
