import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { FakeAuditRecord } from '../../../testing/fake-bff';
import { renderApp } from '../../../testing/test-utils';
import { hosting, rowOf } from './accounts-fixture';

function record(id: number, target: string[], extra: Partial<FakeAuditRecord> = {}) {
  return {
    id,
    at: '2026-11-20T09:30:00.000Z',
    kind: 'outcome' as const,
    operator: 'admin',
    role: 'admin' as const,
    sourceIp: '127.0.0.1',
    server: 'local',
    function: 'twofactorauth_remove_user_config',
    target,
    reason: 'ticket 7: lost phone',
    requestId: `r${id}`,
    outcome: 'success' as const,
    detail: {},
    prevHash: '',
    hash: '',
    ...extra,
  };
}

describe('account drawer', () => {
  it('when an admin clicks a row, then the account opens with its details, its audit history and a removal', async () => {
    const bff = hosting('admin', (b) => {
      b.audit = [
        record(2, ['dave']),
        record(3, ['dave'], { server: 'eu1', reason: 'other server' }),
        record(4, ['alice']),
      ];
    });
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    await user.click(within(rowOf('dave')).getByText('dave.example.com'));
    const drawer = screen.getByRole('dialog', { name: 'dave' });
    const details = drawer.querySelector('dl');
    expect(details).toHaveTextContent('2FAonDomaindave.example.comOwnerrootPlandefault');
    expect(within(drawer).getByRole('link', { name: 'admin@dave.example.com' })).toHaveAttribute(
      'href',
      'mailto:admin@dave.example.com',
    );
    const history = await within(drawer).findByRole('list', { name: 'Audit records' });
    expect(within(history).getAllByRole('listitem')).toHaveLength(1);
    expect(history).toHaveTextContent('ticket 7: lost phone');
    expect(bff.calls('GET', '/api/audit')[0]?.search.get('target')).toBe('dave');

    await user.click(within(drawer).getByRole('button', { name: 'Remove 2FA' }));
    expect(screen.getByRole('dialog', { name: 'Remove 2FA from 1 account' })).toBeVisible();
  });

  it('when support opens an account and the BFF refuses the audit log, then the drawer says so and still works', async () => {
    const bff = hosting('support');
    bff.auditRefused = true;
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    await user.click(within(rowOf('alice')).getByRole('button', { name: 'alice' }));
    const drawer = screen.getByRole('dialog', { name: 'alice' });
    expect(
      await within(drawer).findByText('Your role cannot read the audit log.'),
    ).toBeInTheDocument();
    expect(within(drawer).getByRole('button', { name: 'Remove 2FA' })).toBeDisabled();
    expect(within(drawer).getByRole('button', { name: 'Remove 2FA' })).toHaveAccessibleDescription(
      'Support cannot change resellers.',
    );
  });

  it('when a viewer opens an account, then the audit log is not asked for', async () => {
    const bff = hosting('viewer');
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');

    await user.click(within(rowOf('bob')).getByText('gold'));
    const drawer = screen.getByRole('dialog', { name: 'bob' });
    expect(within(drawer).getByText('Your role cannot read the audit log.')).toBeInTheDocument();
    expect(bff.calls('GET', '/api/audit')).toHaveLength(0);
  });
});
