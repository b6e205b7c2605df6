import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { paths } from '../../../config/paths';
import { MIN_SEARCH_LENGTH, useFleetSearch, type FleetMatch } from '../api/fleet';

// Long enough to send one search per burst of typing, short enough that the matches are on screen
// within 300 ms of the last key (the BFF answers in tens of milliseconds: docs/bench.md).
const DEBOUNCE_MS = 150;

/** The text once the operator has stopped typing for a moment: one request per pause, not per key. */
function useDebounced(value: string, ms: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The accounts screen reads `server` to choose the server and `q` for its search box. */
function accountsLink(match: FleetMatch): string {
  const query = new URLSearchParams({ server: match.server, q: match.user });
  return `${paths.accounts}?${query.toString()}`;
}

const TWO_FACTOR_BADGE = { on: 'badge on', off: 'badge off', unavailable: 'badge off' } as const;

export function FleetSearch() {
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), DEBOUNCE_MS);
  const search = useFleetSearch(query);
  const id = useId();
  const tooShort = query.length < MIN_SEARCH_LENGTH;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Search</h2>
      <label>
        Find a user or domain on every server{' '}
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {tooShort ? null : search.isPending ? (
        <Loading label="Searching every server…" />
      ) : search.error ? (
        <ErrorPanel error={search.error} onRetry={() => void search.refetch()} />
      ) : search.data.matches.length === 0 ? (
        <p>No account matches “{search.data.query}”.</p>
      ) : (
        <>
          <ul className="fleet-matches" aria-label="Matches">
            {search.data.matches.map((match) => (
              <li key={`${match.server}/${match.user}`}>
                <Link to={accountsLink(match)}>
                  {match.user} is on {match.serverLabel}
                </Link>{' '}
                <span className={TWO_FACTOR_BADGE[match.twoFactor]}>
                  {match.twoFactor === 'unavailable' ? '2FA unavailable' : `2FA ${match.twoFactor}`}
                </span>{' '}
                {match.suspended ? <span className="badge warn">suspended</span> : null}{' '}
                <span className="muted">
                  {match.domain} · owner {match.owner}
                </span>
              </li>
            ))}
          </ul>
          {search.data.truncated ? (
            <p className="muted">More not shown: type more of the name to narrow the search.</p>
          ) : null}
        </>
      )}
    </section>
  );
}
