import { Dialog } from '../../../components/ui/dialog';
import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import type { Role } from '../../../lib/auth';
import { canReadAudit, removalDenial } from '../../../lib/authorization';
import { useAccountAudit, type AccountAuditRecord } from '../api/get-account-audit';
import type { AccountRow } from '../hooks/account-rows';

interface AccountDrawerProps {
  server: string;
  /** The account as the list has it now: it follows refreshes while open. */
  account: AccountRow | undefined;
  role: Role;
  onClose: () => void;
  onRemove: (user: string) => void;
}

/** One account: its 2FA state, who owns it, how to reach its owner, what the console did to it. */
export function AccountDrawer({ server, account, role, onClose, onRemove }: AccountDrawerProps) {
  return (
    <Dialog open={account !== undefined} onClose={onClose} title={account?.user ?? ''} drawer>
      {account ? (
        <AccountDetails
          server={server}
          account={account}
          role={role}
          onClose={onClose}
          onRemove={onRemove}
        />
      ) : null}
    </Dialog>
  );
}

function AccountDetails({
  server,
  account,
  role,
  onRemove,
}: AccountDrawerProps & { account: AccountRow }) {
  const denial =
    removalDenial(role, account) ??
    (account.twoFactor ? null : 'This account has no 2FA to remove.');
  return (
    <div className="stack">
      <dl className="details" aria-label="Account details">
        <dt>2FA</dt>
        <dd data-testid="drawer-two-factor">
          <span className={account.twoFactor ? 'badge on' : 'badge off'}>
            {account.twoFactor ? 'on' : 'off'}
          </span>
          {account.twoFactorAvailable === false ? (
            <span className="muted small"> 2FA not available on this package</span>
          ) : null}
        </dd>
        <dt>Domain</dt>
        <dd>{account.domain}</dd>
        <dt>Owner</dt>
        <dd>{account.owner || '(none)'}</dd>
        <dt>Plan</dt>
        <dd>{account.plan || '(none)'}</dd>
        <dt>Contact email</dt>
        <dd>
          {account.email ? (
            <a href={`mailto:${account.email}`}>{account.email}</a>
          ) : (
            <span className="muted">none on file</span>
          )}
        </dd>
        <dt>Suspended</dt>
        <dd>{account.suspended ? 'yes' : 'no'}</dd>
      </dl>
      <div className="actions">
        <button
          type="button"
          className="danger"
          disabled={denial !== null}
          aria-describedby="drawer-remove-reason"
          onClick={() => onRemove(account.user)}
        >
          Remove 2FA
        </button>
      </div>
      {denial ? (
        <p id="drawer-remove-reason" className="muted small">
          {denial}
        </p>
      ) : null}
      <AccountHistory server={server} user={account.user} role={role} />
    </div>
  );
}

function AccountHistory({ server, user, role }: { server: string; user: string; role: Role }) {
  const allowed = canReadAudit(role);
  const history = useAccountAudit(server, user, allowed);
  return (
    <section aria-labelledby="account-history-title" className="stack">
      <h3 id="account-history-title">Audit history</h3>
      {!allowed || history.error?.status === 403 ? (
        <p className="muted">Your role cannot read the audit log.</p>
      ) : history.error ? (
        <ErrorPanel error={history.error} onRetry={() => void history.refetch()} />
      ) : !history.data ? (
        <Loading label="Loading the audit history…" />
      ) : history.data.length === 0 ? (
        <p className="muted">The console has no record of changes to this account.</p>
      ) : (
        <ul className="history" aria-label="Audit records">
          {history.data.map((record) => (
            <li key={record.id}>{describe(record)}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function describe(record: AccountAuditRecord): string {
  const at = new Date(record.at).toLocaleString('en-GB');
  const what = [record.function ?? record.kind, record.outcome].filter(Boolean).join(': ');
  return `${at} · ${record.operator} · ${what}${record.reason ? ` · “${record.reason}”` : ''}`;
}
