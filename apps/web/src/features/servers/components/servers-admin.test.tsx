import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, makeManagedServer } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

const ADMIN_PASSWORD = 'correct horse battery';
const TOKEN = 'ABCDEF0123456789ABCDEF';

function withServers() {
  return installFakeBff((b) => {
    b.signInAs('admin');
    b.managedServers.push(
      makeManagedServer('fra1', {
        label: 'Frankfurt 1',
        url: 'https://fra1.example.com:2087',
        tags: ['eu-west'],
        managedBy: 'file',
      }),
      makeManagedServer('web77', {
        label: 'Web 77',
        url: 'https://web77.example.com:2087',
        tags: ['eu-west', 'production'],
        hasCa: true,
      }),
    );
  });
}

describe('the WHM servers screen', () => {
  it('when an admin opens it, then every server has a row with its url, user, tags, status and who manages it, and no token', async () => {
    const bff = withServers();
    renderApp('/servers');

    const table = await screen.findByRole('table', { name: 'WHM servers' });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    const web77 = within(table).getByRole('row', { name: 'Web 77' });
    expect(web77).toHaveTextContent('https://web77.example.com:2087');
    expect(web77).toHaveTextContent('root');
    expect(web77).toHaveTextContent('eu-westproduction');
    expect(web77).toHaveTextContent('enabled');
    expect(web77).toHaveTextContent('console');
    expect(within(table).getByRole('row', { name: 'Local WHM' })).toHaveTextContent('demo');
    expect(document.body).not.toHaveTextContent(bff.managedServers[2]!.token!);
    expect(screen.getByRole('link', { name: 'Servers' })).toHaveAttribute('href', '/servers');
  });

  it('when a row comes from the servers file or the demo, then it can be tested but not changed, and says why', async () => {
    withServers();
    renderApp('/servers');

    const file = await screen.findByRole('row', { name: 'Frankfurt 1' });
    expect(file).toHaveTextContent('From WHM_SERVERS_FILE');
    const demo = screen.getByRole('row', { name: 'Local WHM' });
    expect(demo).toHaveTextContent('A simulated server of the demo');
    for (const [row, name] of [
      [file, 'Frankfurt 1'],
      [demo, 'Local WHM'],
    ] as const) {
      expect(within(row).getByRole('button', { name: `Test connection to ${name}` })).toBeEnabled();
      expect(within(row).queryByRole('button', { name: `Edit ${name}` })).toBeNull();
      expect(within(row).queryByRole('button', { name: `Remove ${name}` })).toBeNull();
      expect(within(row).queryByRole('button', { name: `Disable ${name}` })).toBeNull();
    }
    const console = screen.getByRole('row', { name: 'Web 77' });
    expect(within(console).getByRole('button', { name: 'Edit Web 77' })).toBeEnabled();
  });

  it('when an admin adds a server, then the form checks it first, shows the BFF field error at its field, and saves after step-up', async () => {
    const bff = withServers();
    const { user } = renderApp('/servers');

    await user.click(await screen.findByRole('button', { name: 'Add a server' }));
    const form = await screen.findByRole('form', { name: 'Add a server' });
    await user.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(within(form).getByLabelText('Label')).toHaveAccessibleDescription(
      /Give the server a label\./,
    );
    expect(within(form).getByLabelText('URL')).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByLabelText('API token')).toHaveAccessibleDescription(
      /Give the WHM API token\./,
    );
    expect(bff.calls('POST', '/api/managed-servers')).toHaveLength(0);

    await user.type(within(form).getByLabelText('Label'), 'Web 77');
    // Taken from the label until typed: this id exists, and the BFF says so at the id field.
    expect(within(form).getByLabelText('Id')).toHaveValue('web-77');
    await user.clear(within(form).getByLabelText('Id'));
    await user.type(within(form).getByLabelText('Id'), 'web77');
    await user.type(within(form).getByLabelText('URL'), 'https://web78.example.com:2087/path');
    await user.type(within(form).getByLabelText('API token'), 'short');
    await user.type(within(form).getByLabelText('Tags (optional)'), 'eu-west Prod');
    await user.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(within(form).getByLabelText('URL')).toHaveAccessibleDescription(/no path/);
    expect(within(form).getByLabelText('API token')).toHaveAccessibleDescription(
      /16 to 128 letters and digits/,
    );
    expect(within(form).getByLabelText('Tags (optional)')).toHaveAccessibleDescription(
      /Not a tag: Prod/,
    );
    expect(bff.calls('POST', '/api/managed-servers')).toHaveLength(0);

    await user.clear(within(form).getByLabelText('URL'));
    await user.type(within(form).getByLabelText('URL'), 'https://web78.example.com:2087');
    await user.clear(within(form).getByLabelText('API token'));
    await user.type(within(form).getByLabelText('API token'), TOKEN);
    await user.clear(within(form).getByLabelText('Tags (optional)'));
    await user.type(within(form).getByLabelText('Tags (optional)'), 'eu-west');
    await user.click(within(form).getByRole('button', { name: 'Add server' }));
    const stepUp = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    await user.type(within(stepUp).getByLabelText('Password'), ADMIN_PASSWORD);
    await user.click(within(stepUp).getByRole('button', { name: 'Confirm' }));
    expect(await within(form).findByText('A server web77 exists.')).toHaveAttribute(
      'id',
      expect.stringMatching(/-id-error$/),
    );
    expect(within(form).getByLabelText('Id')).toHaveAttribute('aria-invalid', 'true');

    await user.clear(within(form).getByLabelText('Id'));
    await user.type(within(form).getByLabelText('Id'), 'web78');
    await user.click(within(form).getByRole('button', { name: 'Add server' }));
    expect(await screen.findByText('Web 77 is added.')).toBeInTheDocument();
    expect(bff.calls('POST', '/api/managed-servers').at(-1)?.body).toEqual({
      id: 'web78',
      label: 'Web 77',
      url: 'https://web78.example.com:2087',
      user: 'root',
      token: TOKEN,
      tags: ['eu-west'],
    });
    expect(await screen.findAllByRole('row', { name: 'Web 77' })).toHaveLength(2);
  });

  it('when a connection test fails, then the form and the row say what failed in words', async () => {
    const bff = withServers();
    bff.connectionTests['https://nowhere.example.com:2087'] = {
      ok: false,
      ms: 3,
      problem: 'dns',
      message: 'The host name does not resolve (DNS).',
    };
    bff.connectionTests['https://web77.example.com:2087'] = {
      ok: false,
      ms: 40,
      problem: 'unauthorized',
      message: 'WHM refused the user or token (401/403).',
    };
    const { user } = renderApp('/servers');

    await user.click(await screen.findByRole('button', { name: 'Add a server' }));
    const form = await screen.findByRole('form', { name: 'Add a server' });
    await user.type(within(form).getByLabelText('URL'), 'https://nowhere.example.com:2087');
    await user.type(within(form).getByLabelText('API token'), TOKEN);
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'Failed: DNS: the host name does not resolve.',
    );
    // Another URL typed: the old answer no longer stands.
    await user.type(within(form).getByLabelText('URL'), '0');
    expect(within(form).queryByRole('alert')).toBeNull();
    await user.clear(within(form).getByLabelText('URL'));
    await user.type(within(form).getByLabelText('URL'), 'https://nowhere.example.com:2087');
    expect(bff.calls('POST', '/api/managed-servers/test')[0]?.body).toEqual({
      url: 'https://nowhere.example.com:2087',
      user: 'root',
      token: TOKEN,
    });
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));

    const row = screen.getByRole('row', { name: 'Web 77' });
    await user.click(within(row).getByRole('button', { name: 'Test connection to Web 77' }));
    expect(await within(row).findByRole('alert')).toHaveTextContent(
      'Failed: Unauthorized (401/403): WHM refused the user or the token.',
    );
    // A row is tested with what is stored: its id at its own URL, never a token from the page.
    expect(bff.calls('POST', '/api/managed-servers/test')[1]?.body).toEqual({
      id: 'web77',
      url: 'https://web77.example.com:2087',
      user: 'root',
    });
    const file = screen.getByRole('row', { name: 'Frankfurt 1' });
    await user.click(within(file).getByRole('button', { name: 'Test connection to Frankfurt 1' }));
    expect(await within(file).findByRole('status')).toHaveTextContent(
      'Connected in 12 ms: WHM answers, its 2FA policy is on.',
    );
  });

  it('when an edit moves the URL without a new token, then the test is refused at the URL field; an empty token keeps the stored one on save', async () => {
    const bff = withServers();
    installFakeBffStepUp(bff);
    const { user } = renderApp('/servers');

    const row = await screen.findByRole('row', { name: 'Web 77' });
    await user.click(within(row).getByRole('button', { name: 'Edit Web 77' }));
    const form = await screen.findByRole('form', { name: 'Edit Web 77' });
    expect(within(form).getByLabelText('API token')).toHaveValue('');
    expect(within(form).queryByLabelText('Id')).toBeNull();
    await user.clear(within(form).getByLabelText('URL'));
    await user.type(within(form).getByLabelText('URL'), 'https://elsewhere.example.com:2087');
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    expect(
      await within(form).findByText(/The stored token is only sent to its own URL/),
    ).toHaveAttribute('id', expect.stringMatching(/-url-error$/));

    await user.clear(within(form).getByLabelText('Label'));
    await user.type(within(form).getByLabelText('Label'), 'Web 77 (Paris)');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Web 77 (Paris) is saved.')).toBeInTheDocument();
    expect(bff.calls('PATCH', '/api/managed-servers/web77')[0]?.body).toEqual({
      label: 'Web 77 (Paris)',
      url: 'https://elsewhere.example.com:2087',
    });
    expect(bff.managedServers[2]!.token).toBe('STOREDTOKEN0123456789');
  });

  it('when the stored CA is to be removed, then the connection test is of the server without it', async () => {
    const bff = withServers();
    const { user } = renderApp('/servers');

    const row = await screen.findByRole('row', { name: 'Web 77' });
    await user.click(within(row).getByRole('button', { name: 'Edit Web 77' }));
    const form = await screen.findByRole('form', { name: 'Edit Web 77' });
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    expect(await within(form).findByText(/^Connected in/)).toBeInTheDocument();
    expect(bff.calls('POST', '/api/managed-servers/test')[0]?.body).toEqual({
      id: 'web77',
      url: 'https://web77.example.com:2087',
      user: 'root',
    });
    // The answer was about the stored CA: it must not vouch for the server without it.
    await user.click(within(form).getByLabelText('Remove the stored CA certificate'));
    expect(within(form).queryByText(/^Connected in/)).toBeNull();
    await user.click(within(form).getByRole('button', { name: 'Test connection' }));
    await within(form).findByText(/^Connected in/);
    expect(bff.calls('POST', '/api/managed-servers/test')[1]?.body).toEqual({
      id: 'web77',
      url: 'https://web77.example.com:2087',
      user: 'root',
      ca: null,
    });
  });

  it('when an admin removes a server, then a confirmation names it first, and cancelled nothing is removed', async () => {
    const bff = withServers();
    installFakeBffStepUp(bff);
    const { user } = renderApp('/servers');

    const row = await screen.findByRole('row', { name: 'Web 77' });
    await user.click(within(row).getByRole('button', { name: 'Remove Web 77' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove Web 77' });
    expect(confirm).toHaveTextContent('Web 77 (https://web77.example.com:2087) is removed');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(bff.calls('DELETE', '/api/managed-servers/web77')).toHaveLength(0);

    await user.click(within(row).getByRole('button', { name: 'Remove Web 77' }));
    await user.click(
      within(await screen.findByRole('dialog', { name: 'Remove Web 77' })).getByRole('button', {
        name: 'Remove Web 77',
      }),
    );
    expect(await screen.findByText('Web 77 is removed.')).toBeInTheDocument();
    expect(bff.calls('DELETE', '/api/managed-servers/web77')).toHaveLength(1);
    expect(screen.queryByRole('row', { name: 'Web 77' })).toBeNull();
  });

  it('when a server is disabled, then it asks first, the row says disabled and offers to enable it', async () => {
    const bff = withServers();
    installFakeBffStepUp(bff);
    const { user } = renderApp('/servers');

    const row = await screen.findByRole('row', { name: 'Web 77' });
    await user.click(within(row).getByRole('button', { name: 'Disable Web 77' }));
    const confirm = await screen.findByRole('dialog', { name: 'Disable Web 77' });
    await user.click(within(confirm).getByRole('button', { name: 'Disable Web 77' }));
    expect(await within(row).findByRole('button', { name: 'Enable Web 77' })).toBeEnabled();
    expect(row).toHaveTextContent('disabled');
    expect(bff.managedServers[2]!.disabled).toBe(true);
  });

  it('when the servers cannot be read, then the error shows with a retry; without the secret key, adding is off and says why', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin');
      b.managedServersFail = true;
      b.canStoreServers = false;
    });
    const { user } = renderApp('/servers');
    expect(await screen.findByRole('alert')).toHaveTextContent('The servers could not be read.');
    expect(screen.queryByRole('table')).toBeNull();
    bff.managedServersFail = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByRole('table', { name: 'WHM servers' })).toBeVisible();
    expect(screen.getByRole('button', { name: 'Add a server' })).toHaveAccessibleDescription(
      /set CONSOLE_SECRET_KEY_FILE first/,
    );
    expect(screen.getByRole('button', { name: 'Add a server' })).toBeDisabled();
  });

  it('when a support operator opens /servers, then it is not available and not in the navigation', async () => {
    const bff = installFakeBff((b) => b.signInAs('support'));
    renderApp('/servers');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeVisible();
    expect(screen.getByText(/Managing WHM servers is for admins only/)).toBeVisible();
    expect(screen.queryByRole('link', { name: 'Servers' })).toBeNull();
    expect(bff.calls('GET', '/api/managed-servers')).toHaveLength(0);
  });
});

/** The admin confirmed a moment ago: these tests are about the servers, not the step-up. */
function installFakeBffStepUp(bff: ReturnType<typeof installFakeBff>) {
  bff.signInAs('admin', { stepUp: true });
}
