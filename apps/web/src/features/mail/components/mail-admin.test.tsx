import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, type FakeBff } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';

const at = '2026-12-03T09:00:00.000Z';
function message(overrides: Partial<FakeBff['outbox'][number]>): FakeBff['outbox'][number] {
  return {
    id: 1,
    kind: 'removal_notice',
    to: 'holder@example.com',
    subject: 'Two-factor authentication was removed from bob',
    text: 'Hello',
    serverId: 'local',
    account: 'bob',
    status: 'sent',
    attempts: 1,
    nextAttemptAt: at,
    lastError: null,
    createdAt: at,
    sentAt: at,
    ...overrides,
  };
}

describe('the mail screen', () => {
  it('when the outbox holds a failed notice and a failed code, then the notice can be sent again and the code cannot', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin');
      b.outbox = [
        message({
          id: 2,
          status: 'failed',
          to: 'carol@example.com',
          account: 'carol',
          subject: 'Two-factor authentication was removed from carol',
          lastError: '550 mailbox unavailable',
        }),
        message({
          id: 3,
          kind: 'verification_code',
          status: 'failed',
          subject: 'Verification code',
          lastError: '550 mailbox unavailable',
        }),
        message({ id: 1 }),
      ];
    });
    const { user } = renderApp('/mail');
    const list = await screen.findByRole('list', { name: 'Messages' });
    expect(screen.getByTestId('mail-mode')).toHaveTextContent('from Example <support@example.com>');
    const failed = within(list).getByRole('listitem', {
      name: 'Two-factor authentication was removed from carol to carol@example.com',
    });
    expect(failed).toHaveTextContent('550 mailbox unavailable');
    const code = within(list).getByRole('listitem', {
      name: 'Verification code to holder@example.com',
    });
    expect(within(code).queryByRole('button', { name: 'Send again' })).toBeNull();
    expect(code).toHaveTextContent('support sends a new one');

    await user.click(within(failed).getByRole('button', { name: 'Send again' }));
    expect(bff.calls('POST', '/api/mail/outbox/2/retry')).toHaveLength(1);
    await waitFor(() => expect(within(failed).getByText('Queued')).toBeVisible());
  });

  it('when an admin makes tickets count, then a step-up is asked first and the change is saved after it', async () => {
    const bff = installFakeBff((b) => b.signInAs('admin'));
    const { user } = renderApp('/mail');
    const form = await screen.findByRole('form', { name: 'Mail settings' });
    const save = within(form).getByRole('button', { name: 'Save' });
    expect(save).toBeDisabled();
    await user.click(within(form).getByRole('checkbox', { name: /verified in the ticket system/ }));
    await user.click(save);

    const stepUp = await screen.findByRole('dialog', { name: 'Confirm it is you' });
    await user.type(within(stepUp).getByLabelText('Password'), 'correct horse battery');
    await user.click(within(stepUp).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(bff.mailSettings.ticketVerification).toBe(true));
    const patches = bff.calls('PATCH', '/api/mail/settings');
    expect(patches.at(-1)?.body).toEqual({ ticketVerification: true });
    expect(await screen.findByRole('status', { name: 'Notifications' })).toHaveTextContent(
      'Mail settings saved.',
    );
  });

  it('when the subject is emptied, then saving is refused in the form and the BFF is not asked', async () => {
    const bff = installFakeBff((b) => b.signInAs('admin'));
    const { user } = renderApp('/mail');
    const form = await screen.findByRole('form', { name: 'Mail settings' });
    const subject = within(form).getByLabelText('Notice subject');
    await user.clear(subject);
    expect(subject).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByRole('button', { name: 'Save' })).toBeDisabled();
    await user.click(within(form).getByRole('button', { name: 'Undo changes' }));
    expect(subject).toHaveValue('Two-factor authentication was removed from {account}');
    expect(bff.calls('PATCH', '/api/mail/settings')).toHaveLength(0);
  });

  it('when mail is off, then the screen says how to turn it on', async () => {
    installFakeBff((b) => {
      b.signInAs('admin');
      b.mail.mode = 'off';
    });
    renderApp('/mail');
    expect(await screen.findByTestId('mail-mode')).toHaveTextContent('Set SMTP_URL and SMTP_FROM');
  });
});

describe('the demo mailbox', () => {
  it('when support opens it in demo mode, then the received notice can be read as text', async () => {
    installFakeBff((b) => {
      b.signInAs('support');
      b.signInInfo = { ...b.signInInfo, demo: { operators: [], password: 'demo' } };
      b.mail.mode = 'demo';
      b.demoMailbox = [
        {
          seq: 1,
          at,
          to: ['admin@bakery.example'],
          subject: 'Two-factor authentication was removed from bakery',
          text: 'Two-factor authentication was removed from your cPanel account bakery.',
          html: '<p>x</p>',
        },
      ];
    });
    const { user } = renderApp('/accounts');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    await user.click(await within(nav).findByRole('link', { name: 'Mailbox' }));
    const card = await screen.findByRole('listitem', {
      name: 'Two-factor authentication was removed from bakery to admin@bakery.example',
    });
    await user.click(within(card).getByRole('button', { name: 'Show message' }));
    expect(card).toHaveTextContent('removed from your cPanel account bakery.');
  });

  it('when the console is not in demo mode, then there is no Mailbox in the navigation', async () => {
    const bff = installFakeBff((b) => b.signInAs('support'));
    renderApp('/accounts');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    // Not before the shell knows whether this is a demo.
    await waitFor(() => expect(bff.calls('GET', '/api/sign-in')).toHaveLength(1));
    await screen.findByTestId('coverage-count');
    expect(within(nav).queryByRole('link', { name: 'Mailbox' })).toBeNull();
  });
});
