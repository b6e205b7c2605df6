import { screen, waitFor, within } from '@testing-library/react';
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
  it('when records are shown, then each reads as a sentence with its time zone, bulk targets as a count, details on demand', async () => {
    installFakeBff((b) => {
      b.signInAs('admin');
      b.audit = [
        record(4, {
          kind: 'operator',
          function: null as unknown as string,
          server: null as unknown as string,
          target: ['alice'],
          reason: null,
          detail: {
            action: 'update',
            before: { role: 'viewer', disabled: false },
            after: { role: 'support', disabled: false },
          },
        }),
        record(3, {
          operator: 'support',
          role: 'support',
          target: ['a1', 'a2', 'a3', 'a4', 'a5'],
          reason: 'ticket 9',
        }),
        record(2, {
          operator: 'support',
          role: 'support',
          target: ['bakery10'],
          reason: 'lost phone',
        }),
        record(1, {
          kind: 'session',
          function: null as unknown as string,
          target: [],
          reason: null,
          detail: { event: 'login' },
        }),
      ];
    });
    const { user } = renderApp('/audit');

    const list = await screen.findByRole('list', { name: 'Audit records' });
    const items = within(list).getAllByTestId('audit-record');
    expect(items[0]).toHaveTextContent(/:00 \S+: admin changed alice's role to support\.Details/);
    expect(items[2]).toHaveTextContent(
      'support removed 2FA from bakery10 on local (reason: lost phone).',
    );
    expect(items[3]).toHaveTextContent('admin signed in.');
    expect(within(items[2]!).getByText(/^2026-11-20 \d\d:00:00 \S+$/)).toBeVisible();

    const bulk = items[1]!;
    expect(bulk).toHaveTextContent(
      'support removed 2FA from 5 accounts on local (reason: ticket 9).',
    );
    expect(within(bulk).queryByRole('list', { name: 'Accounts' })).not.toBeVisible();
    await user.click(within(bulk).getByText('Show the 5 accounts'));
    expect(within(bulk).getByRole('list', { name: 'Accounts' })).toBeVisible();
    expect(
      within(within(bulk).getByRole('list', { name: 'Accounts' })).getAllByRole('listitem'),
    ).toHaveLength(5);
    await user.click(within(bulk).getByText('Details'));
    expect(within(bulk).getByText('req-3')).toBeVisible();
  });

  it('when filtered, then the filters go to the URL and the BFF, and the chain status shows', async () => {
    const bff = installFakeBff((b) => {
      b.signInAs('admin');
      b.audit = [
        record(3, { kind: 'session', target: [], detail: { event: 'login' } }),
        record(2, { operator: 'support', role: 'support', target: ['carol'], outcome: 'failure' }),
        record(1, {}),
      ];
    });
    const { user } = renderApp('/audit');

    expect(await screen.findByTestId('chain-status')).toHaveTextContent('Intact: all 3 records');
    const list = await screen.findByRole('list', { name: 'Audit records' });
    expect(within(list).getAllByTestId('audit-record')).toHaveLength(3);

    await user.type(screen.getByRole('textbox', { name: 'Operator' }), 'support');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Outcome' }), 'failure');
    await user.selectOptions(
      screen.getByRole('combobox', { name: 'Show' }),
      'Everything but sign-ins',
    );
    await user.type(screen.getByRole('textbox', { name: 'Target contains' }), 'aro');
    await user.type(screen.getByRole('textbox', { name: 'From (YYYY-MM-DD)' }), '20.11.2026');
    expect(await screen.findByRole('alert')).toHaveTextContent('Dates are year-month-day');
    expect(screen.getByRole('button', { name: 'Apply filters' })).toBeDisabled();
    await user.clear(screen.getByRole('textbox', { name: 'From (YYYY-MM-DD)' }));
    await user.type(screen.getByRole('textbox', { name: 'From (YYYY-MM-DD)' }), '2026-11-20');
    await user.click(screen.getByRole('button', { name: 'Apply filters' }));

    expect(currentLocation()).toMatch(
      /^\/audit\?operator=support&outcome=failure&kind=intent%2Coutcome%2Cdenied%2Coperator%2Cchain&target=aro&from=2026-11-\d\dT/,
    );
    await waitFor(() =>
      expect(
        within(screen.getByRole('list', { name: 'Audit records' })).getAllByTestId('audit-record'),
      ).toHaveLength(1),
    );
    expect(screen.getByRole('list', { name: 'Audit records' })).toHaveTextContent('carol');
    const last = bff.calls('GET', '/api/audit').at(-1);
    expect(last?.search.get('operator')).toBe('support');
    expect(last?.search.get('kind')).toBe('intent,outcome,denied,operator,chain');
    expect(last?.search.get('target')).toBe('aro');
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

  it('when the newest records were deleted, then the chain status says so, not "record N"', async () => {
    installFakeBff((b) => {
      b.signInAs('admin');
      b.audit = [record(7, {})];
      b.auditValid = false;
      b.auditProblem = 'records_missing';
    });
    renderApp('/audit');
    expect(await screen.findByTestId('chain-status')).toHaveTextContent(
      'Broken: the newest records were deleted',
    );
  });

  it('when a chain seal and a summary of denials are shown, then each reads as a sentence', async () => {
    installFakeBff((b) => {
      b.signInAs('admin');
      b.audit = [
        record(9, {
          kind: 'denied',
          operator: 'viewer',
          function: '',
          target: [],
          outcome: null,
          detail: { code: 'denials_summarised', more: 1243 },
        }),
        record(8, {
          kind: 'chain',
          function: '',
          target: [],
          outcome: null,
          detail: { event: 'keyed', sealed: 120 },
        }),
      ];
    });
    renderApp('/audit');
    expect(
      await screen.findByText(/viewer was refused 1,243 more requests in a minute/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/sealed the 120 records before it under the audit key/),
    ).toBeInTheDocument();
  });

  it('when the setup link was tried and used, then each attempt reads as a sentence', async () => {
    installFakeBff((b) => {
      b.signInAs('admin');
      const setup = { kind: 'operator' as const, function: '', server: '', reason: null };
      b.audit = [
        record(12, { ...setup, target: ['admin'], detail: { action: 'setup_first_admin' } }),
        record(11, {
          ...setup,
          operator: null as unknown as string,
          target: [],
          outcome: 'failure',
          detail: { action: 'setup_first_admin', code: 'setup_token_expired' },
        }),
        record(10, {
          ...setup,
          operator: null as unknown as string,
          target: [],
          outcome: 'failure',
          detail: { action: 'setup_first_admin', code: 'setup_token_invalid' },
        }),
      ];
    });
    renderApp('/audit');
    expect(
      await screen.findByText(/admin became the first admin with the setup link/),
    ).toBeInTheDocument();
    expect(screen.getByText(/someone tried an expired setup link/)).toBeInTheDocument();
    expect(screen.getByText(/someone tried a wrong setup link/)).toBeInTheDocument();
  });

  it('when a support operator opens it, then it shows only its own records, without the chain or export', async () => {
    installFakeBff((b) => {
      b.signInAs('support');
      b.audit = [
        record(2, { operator: 'support', role: 'support', target: ['carol'] }),
        record(1, { target: ['dave'] }),
      ];
    });
    renderApp('/audit');
    const list = await screen.findByRole('list', { name: 'Audit records' });
    expect(within(list).getAllByTestId('audit-record')).toHaveLength(1);
    expect(list).toHaveTextContent('support removed 2FA from carol');
    expect(screen.queryByTestId('chain-status')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Export CSV' })).not.toBeInTheDocument();
    expect(screen.queryByRole('textbox', { name: 'Operator' })).not.toBeInTheDocument();
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Audit' })).toBeVisible();
    expect(within(nav).queryByRole('link', { name: 'Operators' })).not.toBeInTheDocument();
  });

  it('when a viewer opens it, then it says who it is for', async () => {
    installFakeBff((b) => b.signInAs('viewer'));
    renderApp('/audit');
    expect(
      await screen.findByText(
        'The audit log is for admins and support operators only. You are signed in as a viewer.',
      ),
    ).toBeVisible();
  });
});
