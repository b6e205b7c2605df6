import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import type { AccountFilters as Filters } from '../hooks/account-rows';

const OwnerCombobox = lazy(() => import('./owner-combobox'));

interface AccountFiltersProps {
  filters: Filters;
  update: (changes: Partial<Filters>) => void;
  /** In natural order. */
  owners: readonly string[];
}

export function AccountFilters({ filters, update, owners }: AccountFiltersProps) {
  const chooseOwner = useCallback((owner: string) => update({ owner }), [update]);
  return (
    <div role="search" className="filters" aria-label="Filter accounts">
      <label className="field grow">
        <span>Search</span>
        <SearchInput value={filters.search} onChange={(search) => update({ search })} />
      </label>
      <label className="field">
        <span>2FA</span>
        <select
          value={filters.twoFactor}
          onChange={(event) => update({ twoFactor: event.target.value as Filters['twoFactor'] })}
        >
          <option value="">Any</option>
          <option value="on">On</option>
          <option value="off">Off</option>
          <option value="unavailable">Not available on its package</option>
        </select>
      </label>
      <Suspense
        fallback={
          <label className="field combobox">
            <span>Owner</span>
            <input value={filters.owner} placeholder="Any" readOnly disabled />
          </label>
        }
      >
        <OwnerCombobox owners={owners} value={filters.owner} onChange={chooseOwner} />
      </Suspense>
      <label className="field">
        <span>Suspended</span>
        <select
          value={filters.suspended}
          onChange={(event) => update({ suspended: event.target.value as Filters['suspended'] })}
        >
          <option value="">Any</option>
          <option value="yes">Suspended</option>
          <option value="no">Active</option>
        </select>
      </label>
      <label className="field inline">
        <input
          type="checkbox"
          checked={filters.resellers === 'only'}
          onChange={(event) => update({ resellers: event.target.checked ? 'only' : '' })}
        />
        <span>Resellers only</span>
      </label>
    </div>
  );
}

/**
 * The text lives here, not in the URL: the URL follows each keystroke through a router navigation,
 * and those land late (several at once, or an earlier prefix after a later one). Values the URL
 * reports that this input sent itself are echoes and ignored; anything else (back, a link) is a
 * change from outside and replaces the text.
 */
function SearchInput({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const [text, setText] = useState(value);
  const sent = useRef<string[]>([]);
  useEffect(() => {
    const echo = sent.current.indexOf(value);
    if (echo >= 0) {
      sent.current = sent.current.slice(echo + 1);
      return;
    }
    sent.current = [];
    setText(value);
  }, [value]);
  return (
    <input
      type="search"
      name="q"
      placeholder="User, domain, owner or plan"
      value={text}
      onChange={(event) => {
        sent.current.push(event.target.value);
        setText(event.target.value);
        onChange(event.target.value);
      }}
    />
  );
}
