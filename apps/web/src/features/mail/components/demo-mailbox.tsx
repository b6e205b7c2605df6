import { useState } from 'react';
import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { formatTime } from '../../../lib/time';
import { useDemoMailbox, useMailInfo, type CaughtMessage } from '../api/mail';

/**
 * `/mailbox` in demo mode: every message the console "sent", as the account holders would get
 * it (the demo's mail never leaves the console). A demo shows the code the caller reads back and
 * the notice the holder receives after the reset.
 */
export function DemoMailbox() {
  const info = useMailInfo();
  const demo = info.data?.mode === 'demo';
  const mailbox = useDemoMailbox(demo);
  if (info.isError) return <ErrorPanel error={info.error} onRetry={() => void info.refetch()} />;
  if (info.isPending) return <Loading label="Loading…" />;
  if (!demo) {
    return (
      <div className="stack">
        <h1>Demo mailbox</h1>
        <p>
          The demo mailbox exists in demo mode only: here mail goes to the account holders’ real
          inboxes{info.data.mode === 'off' ? ' (and mail is off)' : ''}.
        </p>
      </div>
    );
  }
  return (
    <div className="stack">
      <h1>Demo mailbox</h1>
      <p className="muted">
        What the account holders received. In demo mode no mail leaves the console; this list
        updates by itself.
      </p>
      {mailbox.isError ? (
        <ErrorPanel error={mailbox.error} onRetry={() => void mailbox.refetch()} />
      ) : !mailbox.data ? (
        <Loading label="Loading the mailbox…" />
      ) : mailbox.data.messages.length === 0 ? (
        <p>No mail yet: send a verification code or remove an account’s 2FA.</p>
      ) : (
        <ul className="mail-list" aria-label="Received mail">
          {mailbox.data.messages.map((message) => (
            <CaughtCard key={message.seq} message={message} />
          ))}
        </ul>
      )}
    </div>
  );
}

function CaughtCard({ message }: { message: CaughtMessage }) {
  const [open, setOpen] = useState(false);
  const to = message.to.join(', ');
  return (
    <li className="mail-card" aria-label={`${message.subject} to ${to}`}>
      <div className="mail-card-head">
        <strong>{message.subject}</strong>
        <span className="muted small">{formatTime(message.at)}</span>
      </div>
      <p className="small">To {to}</p>
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide message' : 'Show message'}
      </button>
      {/* The text part, as a mail client shows it: no HTML of ours rendered from a message. */}
      {open ? <pre className="mail-text">{message.text}</pre> : null}
    </li>
  );
}
