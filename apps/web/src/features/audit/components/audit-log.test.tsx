import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { installFakeBff, type FakeAuditRecord } from '../../../testing/fake-bff';
import { currentLocation, renderApp } from '../../../testing/test-utils';

function record(id: number, extra: Partial<FakeAuditRecord>): FakeAuditRecord {
  return {
    id,
    at: '2026-11-20T10:00:00.000Z',
    kind: 'outcome',
    operator: 'admin',
    role: 'admin',
    sourceIp: '127.0.0.1',
    server: 'local',
    function: 'twofactorauth_remove_user_config',
    target: ['bob'],
    reason: 'ticket 1',
    requestId: `req-${id}`,
    outcome: 'success',
    detail: {},
    prevHash: 'a',
    hash: 'b',
    ...extra,
  };
}

describe('audit log', () => {
  it('when filtered, then the filters go to the URL and the BFF, and the chain status shows', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin');
      b.audit = [
        record(2, { operator: 'support', role: 'support', target: ['carol'], outcome: 'failure' }),
        record(1, {}),
      ];
    });
    const { user } = renderApp('/audit');

    expect(await screen.findByTestId('chain-status')).toHaveTextContent('Intact: all 2 records');
    const table = await screen.findByRole('table', { name: 'Audit records' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);

    await user.type(screen.getByRole('textbox', { name: 'Operator' }), 'support');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'failure');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    expect(currentLocation()).toBe('/audit?operator=support&outcome=failure');
    await screen.findByRole('cell', { name: 'carol' });
    expect(
      within(screen.getByRole('table', { name: 'Audit records' })).getAllByRole('row'),
    ).toHaveLength(2);
    const last = bff.calls('GET', '/api/audit').at(-1);
    expect(last?.search.get('operator')).toBe('support');
    expect(last?.search.get('outcome')).toBe('failure');
  });

  it('when the chain is broken, then it says where', async () => {
    installFakeBff((b) => {
      b.signInAs('admin');
      b.audit = [record(7, {})];
      b.auditValid = false;
    });
    renderApp('/audit');
    expect(await screen.findByTestId('chain-status')).toHaveTextContent('Broken: record 7');
  });

  it('when a support operator opens it, then it says it is for admins, with no link in the menu', async () => {
    installFakeBff((b) => b.signInAs('support'));
    renderApp('/audit');
    expect(await screen.findByText(/The audit log is for admins only/)).toBeVisible();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Audit' })).not.toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Operators' })).not.toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Accounts' })).toBeVisible();
  });
});
