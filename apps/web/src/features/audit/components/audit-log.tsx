import { useState, type FormEvent } from 'react';
import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { canAdminister } from '../../../lib/authorization';
import { useOperator } from '../../../lib/operator';
import { useAudit, type AuditFilters } from '../api/get-audit';
import { useExportAudit } from '../api/export-audit';
import { useAuditVerification, type AuditVerification } from '../api/verify-audit';
import { AuditEntry } from './audit-entry';
import { dayToInstant, instantToDay, ISO_DAY, useAuditFilters } from '../hooks/use-audit-filters';

/** The kind filter's choices: the `kind` values the BFF keeps. */
const KINDS: { label: string; value: string }[] = [
  { label: 'Everything', value: '' },
  { label: 'Everything but sign-ins', value: 'intent,outcome,denied,operator,chain' },
  { label: 'WHM changes', value: 'intent,outcome' },
  { label: 'Operator changes', value: 'operator' },
  { label: 'Refused requests', value: 'denied' },
  { label: 'Sign-ins and step-ups', value: 'session' },
];

/** What verify found, in words: each problem points at a different kind of tampering. */
function chainProblem({ problem, firstBrokenId }: AuditVerification): string {
  const record = firstBrokenId ?? '?';
  switch (problem) {
    case 'head_missing':
      return 'the chain head is missing, so deleted records would go unnoticed';
    case 'records_missing':
      return 'the newest records were deleted (the head counts more than there are)';
    case 'head_mismatch':
      return 'the chain head does not match the last record';
    case 'head_unkeyed':
      return 'the chain head has no MAC under the audit key';
    case 'head_forged':
      return 'the chain head was moved without the audit key (another key, or tampering)';
    default:
      return `record ${record} does not match the record before it`;
  }
}

const FUNCTIONS = [
  'twofactorauth_remove_user_config',
  'twofactorauth_enable_policy',
  'twofactorauth_disable_policy',
  'twofactorauth_set_issuer',
  'twofactorauth_generate_tfa_config',
  'twofactorauth_set_tfa_config',
];

export function AuditLog() {
  const { filters, apply } = useAuditFilters();
  const operator = useOperator();
  const admin = canAdminister(operator.role);
  return (
    <div className="stack">
      <h1>Audit log</h1>
      {admin ? (
        <ChainStatus />
      ) : (
        <p>These are the records of your own actions; admins see everyone&apos;s.</p>
      )}
      <AuditFilterForm
        key={JSON.stringify(filters)}
        filters={filters}
        onApply={apply}
        admin={admin}
      />
      <AuditRecords filters={filters} />
    </div>
  );
}

function ChainStatus() {
  const verification = useAuditVerification();
  if (verification.isError) {
    return (
      <ErrorPanel
        title="Could not check the audit chain"
        error={verification.error}
        onRetry={() => void verification.refetch()}
      />
    );
  }
  if (!verification.data) return <Loading label="Checking the audit chain…" />;
  const { valid, count } = verification.data;
  return (
    <section className="card" aria-labelledby="chain-title">
      <h2 id="chain-title">Chain status</h2>
      <p role="status" className={valid ? 'status-on' : 'form-error'} data-testid="chain-status">
        {valid
          ? `Intact: all ${count} records link to the one before.`
          : `Broken: ${chainProblem(verification.data)} (${count} records checked).`}
      </p>
      <button type="button" onClick={() => void verification.refetch()}>
        Check again
      </button>
    </section>
  );
}

function AuditFilterForm({
  filters,
  onApply,
  admin,
}: {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
  admin: boolean;
}) {
  const [draft, setDraft] = useState({
    ...filters,
    from: instantToDay(filters.from),
    to: instantToDay(filters.to),
  });
  const exporting = useExportAudit();

  const badDay = [draft.from, draft.to].some((day) => day !== '' && !ISO_DAY.test(day.trim()));

  function submit(event: FormEvent) {
    event.preventDefault();
    if (badDay) return;
    onApply({ ...draft, from: dayToInstant(draft.from, false), to: dayToInstant(draft.to, true) });
  }

  const field = (key: keyof AuditFilters) => ({
    name: key,
    value: draft[key],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [key]: event.target.value })),
  });

  return (
    <form className="card stack" onSubmit={submit} aria-label="Filter the audit log">
      <div className="filters">
        {admin ? (
          <label className="field">
            <span>Operator</span>
            <input {...field('operator')} autoComplete="off" />
          </label>
        ) : null}
        <label className="field">
          <span>Show</span>
          <select {...field('kind')}>
            {KINDS.map((kind) => (
              <option key={kind.value} value={kind.value}>
                {kind.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Function</span>
          <select {...field('function')}>
            <option value="">Any</option>
            {FUNCTIONS.map((fn) => (
              <option key={fn} value={fn}>
                {fn}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Outcome</span>
          <select {...field('outcome')}>
            <option value="">Any</option>
            <option value="success">Success</option>
            <option value="partial">Partial</option>
            <option value="failure">Failure</option>
            <option value="unknown">Unknown</option>
          </select>
        </label>
        <label className="field">
          <span>Target contains</span>
          <input {...field('target')} autoComplete="off" />
        </label>
        <label className="field">
          <span>From (YYYY-MM-DD)</span>
          <input {...field('from')} inputMode="numeric" placeholder="2026-01-31" />
        </label>
        <label className="field">
          <span>To (YYYY-MM-DD)</span>
          <input {...field('to')} inputMode="numeric" placeholder="2026-01-31" />
        </label>
      </div>
      {badDay ? (
        <p className="form-error" role="alert">
          Dates are year-month-day, like 2026-01-31.
        </p>
      ) : null}
      <p className="muted small">
        Days are from midnight to midnight in your time zone (
        {Intl.DateTimeFormat().resolvedOptions().timeZone}).
      </p>
      <FormError error={exporting.error} />
      <div className="actions">
        {admin ? (
          <button
            type="button"
            disabled={exporting.isPending}
            onClick={() => exporting.mutate(filters)}
          >
            {exporting.isPending ? 'Exporting…' : 'Export CSV'}
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={badDay}>
          Apply filters
        </button>
      </div>
    </form>
  );
}

function AuditRecords({ filters }: { filters: AuditFilters }) {
  const audit = useAudit(filters);
  if (audit.isError) {
    return <ErrorPanel error={audit.error} onRetry={() => void audit.refetch()} />;
  }
  if (!audit.data) return <Loading label="Loading the audit log…" />;
  const records = audit.data.pages.flatMap((page) => page.records);
  if (records.length === 0) return <p className="empty">No audit record matches these filters.</p>;
  return (
    <section className="card stack" aria-label="Records">
      <ol className="audit-list" aria-label="Audit records">
        {records.map((record) => (
          <AuditEntry key={record.id} record={record} />
        ))}
      </ol>
      {audit.hasNextPage ? (
        <button
          type="button"
          disabled={audit.isFetchingNextPage}
          onClick={() => void audit.fetchNextPage()}
        >
          {audit.isFetchingNextPage ? 'Loading…' : 'Load older records'}
        </button>
      ) : null}
    </section>
  );
}
