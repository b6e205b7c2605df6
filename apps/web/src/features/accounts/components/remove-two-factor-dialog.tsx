import { useIsMutating } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { StepUpForm } from '../../../components/step-up-form';
import { Dialog } from '../../../components/ui/dialog';
import { FormError } from '../../../components/ui/error-panel';
import { useToast } from '../../../components/ui/toast';
import { isApiError } from '../../../lib/api-client';
import { countOf, formatCount } from '../../../lib/format';
import {
  CallerVerification,
  type VerificationState,
} from '../../helpdesk/components/caller-verification';
import {
  removeTwoFactorKey,
  useRemoveTwoFactor,
  type RemovalNotices,
  type RemovalOutcome,
  type RemovalReport,
  type RemovalRequest,
} from '../api/remove-two-factor';

interface RemoveTwoFactorDialogProps {
  open: boolean;
  onClose: () => void;
  onFinished: () => void;
  server: string;
  /** The accounts that have 2FA on: the ones removal changes. */
  users: readonly string[];
  /** Selected accounts left out because they have no 2FA. */
  skipped: number;
  totpEnabled: boolean;
}

/** Enough to check by eye; a select-all of thousands would only slow the dialog down. */
const NAMES_SHOWN = 1000;

const OUTCOME_LABEL: Record<RemovalOutcome, string> = {
  removed: 'Removed',
  not_enrolled: 'Had no 2FA before',
  failed: 'Failed',
};

export function RemoveTwoFactorDialog(props: RemoveTwoFactorDialogProps) {
  // While WHM works, Escape must not throw away the per-account results about to arrive.
  const busy = useIsMutating({ mutationKey: removeTwoFactorKey }) > 0;
  return (
    <Dialog
      open={props.open}
      onClose={props.onClose}
      busy={busy}
      title={`Remove 2FA from ${countOf(props.users.length, 'account')}`}
    >
      <RemovalFlow {...props} />
    </Dialog>
  );
}

/** Confirm (reason, names), step up if the BFF asks, then show what happened to each account. */
function RemovalFlow({
  onClose,
  onFinished,
  server,
  users,
  skipped,
  totpEnabled,
}: RemoveTwoFactorDialogProps) {
  const toast = useToast();
  const removal = useRemoveTwoFactor(server);
  const [reason, setReason] = useState('');
  const [request, setRequest] = useState<RemovalRequest | null>(null);
  const [verification, setVerification] = useState<VerificationState>({
    given: null,
    ready: false,
  });
  const reasonId = useId();
  const errorId = useId();
  const needsStepUp = isApiError(removal.error, 'step_up_required');

  function run(next: RemovalRequest) {
    setRequest(next);
    removal.mutate(next, {
      onSuccess: ({ results }) => {
        const removed = results.filter((r) => r.outcome === 'removed').length;
        toast(`2FA removed from ${formatCount(removed)} of ${countOf(results.length, 'account')}.`);
        onFinished();
      },
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    run({ users: [...users], reason: reason.trim(), verification: verification.given });
  }

  if (removal.data) return <RemovalResults report={removal.data} onClose={onClose} />;

  if (needsStepUp && request) {
    return (
      <StepUpForm
        totpEnabled={totpEnabled}
        onVerified={() => run(request)}
        onCancel={() => removal.reset()}
      />
    );
  }

  const reasonValid = reason.trim().length >= 3 && reason.trim().length <= 500;
  return (
    <form className="stack" onSubmit={submit} aria-label="Confirm 2FA removal">
      <p>
        {users.length === 1
          ? 'This account will sign in with a password only until it sets 2FA up again:'
          : `These ${countOf(users.length, 'account')} will sign in with a password only until they set 2FA up again:`}
      </p>
      {skipped > 0 ? (
        <p className="muted" data-testid="removal-skipped">
          {countOf(skipped, 'selected account')} {skipped === 1 ? 'has' : 'have'} no 2FA: nothing to
          remove there.
        </p>
      ) : null}
      {/* Focusable: a long list scrolls, and keyboard users must be able to scroll it. */}
      <ul className="name-list" aria-label="Accounts to change" tabIndex={0}>
        {users.slice(0, NAMES_SHOWN).map((user) => (
          <li key={user}>{user}</li>
        ))}
      </ul>
      {users.length > NAMES_SHOWN ? (
        <p className="muted small">…and {formatCount(users.length - NAMES_SHOWN)} more.</p>
      ) : null}
      <CallerVerification server={server} users={users} onChange={setVerification} />
      <label className="field">
        <span>Reason (kept in the audit log)</span>
        <textarea
          name="reason"
          required
          minLength={3}
          maxLength={500}
          rows={2}
          placeholder="Ticket 123: customer lost their phone"
          value={reason}
          aria-describedby={reasonId}
          onChange={(event) => setReason(event.target.value)}
        />
      </label>
      <p id={reasonId} className="muted small">
        3 to 500 characters.
      </p>
      <FormError error={needsStepUp ? null : removal.error} id={errorId} />
      <div className="actions">
        <button type="button" onClick={onClose} disabled={removal.isPending}>
          Cancel
        </button>
        <button
          type="submit"
          className="danger"
          disabled={!reasonValid || !verification.ready || removal.isPending || users.length === 0}
        >
          {removal.isPending ? 'Removing…' : `Remove 2FA from ${countOf(users.length, 'account')}`}
        </button>
      </div>
    </form>
  );
}

function RemovalResults({ report, onClose }: { report: RemovalReport; onClose: () => void }) {
  const { results, notices } = report;
  const count = (outcome: RemovalOutcome) => results.filter((r) => r.outcome === outcome).length;
  return (
    <div className="stack">
      <p role="status">
        {formatCount(count('removed'))} removed, {formatCount(count('not_enrolled'))} had no 2FA
        before, {formatCount(count('failed'))} failed.
      </p>
      <table className="simple-table" aria-label="Removal results">
        <thead>
          <tr>
            <th scope="col">Account</th>
            <th scope="col">Result</th>
            <th scope="col">WHM&apos;s reason</th>
          </tr>
        </thead>
        <tbody>
          {results.map((result) => (
            <tr key={result.user} className={`outcome-${result.outcome}`}>
              <th scope="row">{result.user}</th>
              <td>{OUTCOME_LABEL[result.outcome]}</td>
              <td>{result.reason ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {notices ? <NoticesSummary notices={notices} /> : null}
      <div className="actions">
        <button type="button" className="primary" onClick={onClose}>
          Done
        </button>
      </div>
    </div>
  );
}

/** What to tell the caller: the holder hears of it (or why not). */
function NoticesSummary({ notices }: { notices: RemovalNotices }) {
  if (notices.unavailable) {
    return (
      <p className="muted" data-testid="removal-notices">
        No notice was sent to the account holders: {notices.unavailable}.
      </p>
    );
  }
  return (
    <p className="muted" data-testid="removal-notices">
      {notices.queued === 0
        ? 'No account holder could be told by email.'
        : `${notices.queued === 1 ? 'The account holder is' : `${formatCount(notices.queued)} account holders are`} being told by email.`}
      {notices.withoutAddress.length > 0
        ? ` No contact address in WHM for ${notices.withoutAddress.slice(0, 20).join(', ')}${
            notices.withoutAddress.length > 20
              ? ` and ${formatCount(notices.withoutAddress.length - 20)} more`
              : ''
          }.`
        : ''}
    </p>
  );
}
