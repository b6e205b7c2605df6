import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useToast } from '../../../components/ui/toast';
import { formatTime } from '../../../lib/time';
import { useEndOtherSessions } from '../api/end-other-sessions';
import { useEndOwnSession } from '../api/end-own-session';
import { useOwnSessions, type OwnSession } from '../api/get-own-sessions';

/** Where this operator is signed in, and a way to end the other places. */
export function OwnSessions() {
  const toast = useToast();
  const sessions = useOwnSessions();
  const endOthers = useEndOtherSessions();
  const endOne = useEndOwnSession();
  if (sessions.isError) {
    return <ErrorPanel error={sessions.error} onRetry={() => void sessions.refetch()} />;
  }
  if (!sessions.data) return <Loading label="Loading your sessions…" />;
  const list = sessions.data.sessions;
  const others = list.filter((s) => !s.current).length;
  return (
    <section className="card stack" aria-labelledby="own-sessions-title">
      <h2 id="own-sessions-title">Where you are signed in</h2>
      <ul className="operator-list" aria-label="Your sessions">
        {list.map((session) => (
          <li key={session.id} className="operator-card" aria-label={sessionName(session)}>
            <div className="operator-head">
              <strong className="operator-name">{session.userAgent ?? 'Unknown browser'}</strong>
              {session.current ? <span className="badge">this session</span> : null}
            </div>
            <dl className="operator-facts">
              <div>
                <dt>Signed in</dt>
                <dd>{formatTime(session.createdAt)}</dd>
              </div>
              <div>
                <dt>Last seen</dt>
                <dd>{formatTime(session.lastSeenAt)}</dd>
              </div>
              <div>
                <dt>Address</dt>
                <dd>{session.sourceIp ?? 'unknown'}</dd>
              </div>
            </dl>
            {session.current ? null : (
              <div className="actions">
                <button
                  type="button"
                  disabled={endOne.isPending}
                  onClick={() =>
                    endOne.mutate(session.id, { onSuccess: () => toast('That session is ended.') })
                  }
                >
                  End this session
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
      <FormError error={endOthers.error ?? endOne.error} />
      <div className="actions">
        <button
          type="button"
          disabled={others === 0 || endOthers.isPending}
          onClick={() =>
            endOthers.mutate(undefined, {
              onSuccess: ({ ended }) =>
                toast(`Signed out of ${ended} other ${ended === 1 ? 'session' : 'sessions'}.`),
            })
          }
        >
          End all other sessions
        </button>
      </div>
    </section>
  );
}

function sessionName(session: OwnSession): string {
  const where = session.userAgent ?? 'Unknown browser';
  return session.current ? `${where} (this session)` : where;
}
