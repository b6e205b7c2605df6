import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

const ADMIN_PASSWORD = 'correct horse battery';

describe('operators', () => {
  it('when an admin without step-up adds an operator, then the step-up form asks for the password and the add is retried', async () => {
    const bff = installFakeBff((b) => b.signInAs('admin'));
    const { user } = renderApp('/operators');

    const form = await screen.findByRole('form', { name: 'Add an operator' });
    expect(within(form).getByRole('textbox', { name: 'Username' })).toHaveAccessibleDescription(
      /^Username: 2 to 32 characters/,
    );
    await user.type(within(form).getByRole('textbox', { name: 'Username' }), 'Carla');
    expect(within(form).getByRole('button', { name: 'Add operator' })).toBeDisabled();
    await user.clear(within(form).getByRole('textbox', { name: 'Username' }));
    await user.type(within(form).getByRole('textbox', { name: 'Username' }), 'carla');
    await user.type(within(form).getByLabelText('Initial password'), 'a long enough secret');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Role' }), 'admin');
    await user.click(within(form).getByRole('button', { name: 'Add operator' }));

    const stepUp = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    expect(bff.operators.map((o) => o.username)).not.toContain('carla');
    await user.type(within(stepUp).getByLabelText('Password'), ADMIN_PASSWORD);
    await user.click(within(stepUp).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('Operator carla added as an admin.')).toBeInTheDocument();
    expect(bff.calls('POST', '/api/operators')).toHaveLength(2);
    expect(await screen.findByRole('listitem', { name: 'carla' })).toBeVisible();
  });

  it('when an admin changes a role, then it is confirmed first, then stepped up, and said with an article', async () => {
    const bff = installFakeBff((b) => b.signInAs('admin'));
    const { user } = renderApp('/operators');

    expect(await screen.findByRole('combobox', { name: 'Role of admin' })).toBeDisabled();
    await user.selectOptions(screen.getByRole('combobox', { name: 'Role of viewer' }), 'support');
    const confirm = await screen.findByRole('dialog', { name: 'Change the role of viewer?' });
    expect(confirm).toHaveTextContent('viewer becomes a support operator (now a viewer)');
    expect(bff.calls('PATCH', '/api/operators/3')).toHaveLength(0);
    await user.click(within(confirm).getByRole('button', { name: 'Change role' }));
    const stepUp = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    await user.type(within(stepUp).getByLabelText('Password'), 'wrong');
    await user.click(within(stepUp).getByRole('button', { name: 'Confirm' }));
    expect(await within(stepUp).findByRole('alert')).toHaveTextContent('That did not match.');
    await user.clear(within(stepUp).getByLabelText('Password'));
    await user.type(within(stepUp).getByLabelText('Password'), ADMIN_PASSWORD);
    await user.click(within(stepUp).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('viewer is now a support operator.')).toBeInTheDocument();
    expect(bff.operators[2]!.role).toBe('support');
  });

  it('when a stepped-up admin resets a password, resets TOTP and deletes an operator, then each reaches the BFF; none is offered for yourself', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin', { stepUp: true });
      b.operators[0]!.totpEnabled = true;
      b.operators[1]!.totpEnabled = true;
    });
    const { user } = renderApp('/operators');

    const me = await screen.findByRole('listitem', { name: 'admin' });
    for (const name of ['Reset TOTP of admin', 'Reset password of admin', 'Delete admin']) {
      expect(within(me).getByRole('button', { name })).toBeDisabled();
    }

    const support = screen.getByRole('listitem', { name: 'support' });
    await user.click(within(support).getByRole('button', { name: 'Reset password of support' }));
    const reset = await screen.findByRole('dialog', { name: 'Reset the password of support' });
    await user.type(within(reset).getByLabelText('New password for support'), 'a new long secret');
    await user.click(within(reset).getByRole('button', { name: 'Reset password' }));
    expect(
      await screen.findByText('The password of support is reset; support is signed out.'),
    ).toBeInTheDocument();
    expect(bff.operators[1]!.password).toBe('a new long secret');

    await user.click(within(support).getByRole('button', { name: 'Reset TOTP of support' }));
    const totp = await screen.findByRole('dialog', { name: 'Reset TOTP of support' });
    await user.click(within(totp).getByRole('button', { name: 'Reset TOTP of support' }));
    expect(await screen.findByText('TOTP of support is removed.')).toBeInTheDocument();
    expect(bff.operators[1]!.totpEnabled).toBe(false);

    await user.click(within(support).getByRole('button', { name: 'Delete support' }));
    const remove = await screen.findByRole('dialog', { name: 'Delete support' });
    await user.click(within(remove).getByRole('button', { name: 'Delete support' }));
    expect(await screen.findByText('Operator support is deleted.')).toBeInTheDocument();
    expect(bff.operators.map((o) => o.username)).toEqual(['admin', 'viewer']);
  });

  it('when an admin requires TOTP, then a confirmation names who has none and the grace period; turning it off needs step-up', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin');
      b.operators[0]!.totpEnabled = true;
    });
    const { user } = renderApp('/operators');

    await user.click(
      await screen.findByRole('checkbox', { name: 'Require TOTP for every operator' }),
    );
    const confirm = await screen.findByRole('dialog', { name: 'Require TOTP for every operator?' });
    expect(confirm).toHaveTextContent('2 operators have no TOTP yet. They can sign in for 7 days');
    expect(
      within(within(confirm).getByRole('list', { name: 'Operators without TOTP' })).getAllByRole(
        'listitem',
      ),
    ).toHaveLength(2);
    expect(bff.requireOperatorTotp).toBe(false);
    await user.click(within(confirm).getByRole('button', { name: 'Require TOTP' }));
    expect(await screen.findByText('Operators must now use TOTP.')).toBeInTheDocument();
    expect(bff.requireOperatorTotp).toBe(true);

    await user.click(screen.getByRole('checkbox', { name: 'Require TOTP for every operator' }));
    const stepUp = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    expect(bff.requireOperatorTotp).toBe(true);
    await user.type(within(stepUp).getByLabelText('Authentication code'), '123456');
    await user.click(within(stepUp).getByRole('button', { name: 'Confirm' }));
    expect(await screen.findByText('TOTP is now optional for operators.')).toBeInTheDocument();
    expect(bff.requireOperatorTotp).toBe(false);
  });

  it('when an operator made by single sign-on must step up, then it is sent to confirm at the provider and back here', async () => {
    installFakeBff((b) => {
      b.operators[0]!.sso = true;
      b.signInInfo = { product: 'Two-factor console', demo: null, sso: { label: 'Example ID' } };
      b.signInAs('admin');
    });
    const { user } = renderApp('/operators');
    const form = await screen.findByRole('form', { name: 'Add an operator' });
    await user.type(within(form).getByRole('textbox', { name: 'Username' }), 'carla');
    await user.type(within(form).getByLabelText('Initial password'), 'a long enough secret');
    await user.click(within(form).getByRole('button', { name: 'Add operator' }));
    const stepUp = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    expect(within(stepUp).queryByLabelText('Password')).toBeNull();
    expect(within(stepUp).getByRole('link', { name: 'Confirm at Example ID' })).toHaveAttribute(
      'href',
      '/api/sso/start?intent=step-up&return=%2Foperators',
    );
  });
});
