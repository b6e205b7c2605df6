import { useState, type FormEvent } from 'react';
import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useAudit, type AuditFilters, type AuditRecord } from '../api/get-audit';
import { useExportAudit } from '../api/export-audit';
import { useAuditVerification } from '../api/verify-audit';
import { dayToInstant, instantToDay, useAuditFilters } from '../hooks/use-audit-filters';

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
  return (
    <div className="stack">
      <h1>Audit log</h1>
      <ChainStatus />
      <AuditFilterForm key={JSON.stringify(filters)} filters={filters} onApply={apply} />
      <AuditTable filters={filters} />
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
  const { valid, count, firstBrokenId } = verification.data;
  return (
    <section className="card" aria-labelledby="chain-title">
      <h2 id="chain-title">Chain status</h2>
      <p role="status" className={valid ? 'status-on' : 'form-error'} data-testid="chain-status">
        {valid
          ? `Intact: all ${count} records link to the one before.`
          : `Broken: record ${firstBrokenId ?? '?'} does not match the record before it (${count} records checked).`}
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
}: {
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}) {
  const [draft, setDraft] = useState({
    ...filters,
    from: instantToDay(filters.from),
    to: instantToDay(filters.to),
  });
  const exporting = useExportAudit();

  function submit(event: FormEvent) {
    event.preventDefault();
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
        <label className="field">
          <span>Operator</span>
          <input {...field('operator')} autoComplete="off" />
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
          <span>Target account</span>
          <input {...field('target')} autoComplete="off" />
        </label>
        <label className="field">
          <span>From</span>
          <input type="date" {...field('from')} />
        </label>
        <label className="field">
          <span>To</span>
          <input type="date" {...field('to')} />
        </label>
      </div>
      <FormError error={exporting.error} />
      <div className="actions">
        <button
          type="button"
          disabled={exporting.isPending}
          onClick={() => exporting.mutate(filters)}
        >
          {exporting.isPending ? 'Exporting…' : 'Export CSV'}
        </button>
        <button type="submit" className="primary">
          Apply filters
        </button>
      </div>
    </form>
  );
}

function AuditTable({ filters }: { filters: AuditFilters }) {
  const audit = useAudit(filters);
  if (audit.isError) {
    return <ErrorPanel error={audit.error} onRetry={() => void audit.refetch()} />;
  }
  if (!audit.data) return <Loading label="Loading the audit log…" />;
  const records = audit.data.pages.flatMap((page) => page.records);
  if (records.length === 0) return <p className="empty">No audit record matches these filters.</p>;
  return (
    <div className="stack">
      <div className="table-wrap">
        <table className="simple-table" aria-label="Audit records">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Operator</th>
              <th scope="col">Kind</th>
              <th scope="col">Function</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Reason</th>
              <th scope="col">Request</th>
            </tr>
          </thead>
          <tbody>
            {records.map((record) => (
              <AuditRow key={record.id} record={record} />
            ))}
          </tbody>
        </table>
      </div>
      {audit.hasNextPage ? (
        <button
          type="button"
          disabled={audit.isFetchingNextPage}
          onClick={() => void audit.fetchNextPage()}
        >
          {audit.isFetchingNextPage ? 'Loading…' : 'Load older records'}
        </button>
      ) : null}
    </div>
  );
}

function AuditRow({ record }: { record: AuditRecord }) {
  return (
    <tr>
      <td>
        <time dateTime={record.at}>{new Date(record.at).toLocaleString()}</time>
      </td>
      <td>
        {record.operator} <span className="badge">{record.role}</span>
      </td>
      <td>{record.kind}</td>
      <td>{record.function}</td>
      <td>{record.target.join(', ')}</td>
      <td>{record.outcome ?? ''}</td>
      <td>{record.reason ?? ''}</td>
      <td className="muted small">{record.requestId}</td>
    </tr>
  );
}
