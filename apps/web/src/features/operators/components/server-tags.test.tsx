import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, makeManagedServer } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

const ADMIN_PASSWORD = 'correct horse battery';

describe("an operator's servers", () => {
  it('when an admin limits support to a tag, then bad tags are refused first, the change needs step-up, and the card says the tag', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin');
      b.managedServers.push(makeManagedServer('fra1', { tags: ['eu-west', 'production'] }));
    });
    const { user } = renderApp('/operators');

    const card = await screen.findByRole('listitem', { name: 'support' });
    expect(card).toHaveTextContent('Serversevery server');
    await user.click(within(card).getByRole('button', { name: 'Servers of support' }));
    const form = await screen.findByRole('form', { name: 'Servers of support' });
    expect(within(form).getByLabelText('Server tags')).toBeDisabled();
    await user.click(within(form).getByLabelText('Only servers with one of these tags'));
    expect(within(form).getByLabelText('Server tags')).toHaveAccessibleDescription(
      /Tags on the servers now: eu-west, production\./,
    );
    await user.click(within(form).getByRole('button', { name: 'Save servers' }));
    expect(within(form).getByLabelText('Server tags')).toHaveAccessibleDescription(
      /Give at least one tag\./,
    );
    await user.type(within(form).getByLabelText('Server tags'), 'EU West');
    await user.click(within(form).getByRole('button', { name: 'Save servers' }));
    expect(within(form).getByLabelText('Server tags')).toHaveAccessibleDescription(
      /Not a tag: EU, West\./,
    );
    await user.clear(within(form).getByLabelText('Server tags'));
    await user.type(within(form).getByLabelText('Server tags'), 'eu-west');
    await user.click(within(form).getByRole('button', { name: 'Save servers' }));
    expect(bff.calls('PATCH', '/api/operators/2').map((call) => call.body)).toEqual([
      { serverTags: ['eu-west'] },
    ]);

    const stepUp = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    await user.type(within(stepUp).getByLabelText('Password'), ADMIN_PASSWORD);
    await user.click(within(stepUp).getByRole('button', { name: 'Confirm' }));
    expect(
      await screen.findByText('support may now use the servers tagged eu-west only.'),
    ).toBeInTheDocument();
    expect(bff.operators[1]!.serverTags).toEqual(['eu-west']);
    expect(card).toHaveTextContent('Serverstagged eu-west');

    await user.click(within(card).getByRole('button', { name: 'Servers of support' }));
    const again = await screen.findByRole('form', { name: 'Servers of support' });
    expect(within(again).getByLabelText('Server tags')).toHaveValue('eu-west');
    await user.click(within(again).getByLabelText('Every server'));
    await user.click(within(again).getByRole('button', { name: 'Save servers' }));
    expect(await screen.findByText('support may now use every server.')).toBeInTheDocument();
    expect(bff.operators[1]!.serverTags).toBeNull();
  });

  it('when an admin looks at its own card, then its servers cannot be changed', async () => {
    installFakeBff((b) => b.signInAs('admin'));
    renderApp('/operators');
    const me = await screen.findByRole('listitem', { name: 'admin' });
    expect(within(me).getByRole('button', { name: 'Servers of admin' })).toBeDisabled();
  });
});
