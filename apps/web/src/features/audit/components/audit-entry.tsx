import { formatTime } from '../../../lib/time';
import type { AuditRecord } from '../api/get-audit';
import { describeRecord } from '../hooks/describe-record';

/** One record: its sentence, the accounts behind a count on demand, every field on demand. */
export function AuditEntry({ record }: { record: AuditRecord }) {
  const sentence = describeRecord(record);
  const failed = record.outcome === 'failure' || record.kind === 'denied';
  return (
    <li data-testid="audit-record" data-kind={record.kind}>
      <p className={failed ? 'audit-sentence form-error' : 'audit-sentence'}>
        <time dateTime={record.at}>{formatTime(record.at)}</time>: {sentence.text}.
      </p>
      {sentence.collapsed ? (
        <details>
          <summary>Show the {sentence.collapsed.length} accounts</summary>
          <ul className="name-list" aria-label="Accounts">
            {sentence.collapsed.map((name) => (
              <li key={name}>{name}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <details className="audit-details">
        <summary>Details</summary>
        <dl>
          <dt>Record</dt>
          <dd>
            {record.id} ({record.kind})
          </dd>
          <dt>Time</dt>
          <dd>{record.at}</dd>
          <dt>Operator</dt>
          <dd>
            {record.operator ?? '—'}
            {record.role ? `, ${record.role}` : ''}
          </dd>
          <dt>Address</dt>
          <dd>{record.sourceIp ?? '—'}</dd>
          {record.server ? (
            <>
              <dt>Server</dt>
              <dd>{record.server}</dd>
            </>
          ) : null}
          {record.function ? (
            <>
              <dt>Function</dt>
              <dd>{record.function}</dd>
            </>
          ) : null}
          {record.target.length ? (
            <>
              <dt>Target</dt>
              <dd>{record.target.join(', ')}</dd>
            </>
          ) : null}
          {record.reason ? (
            <>
              <dt>Reason</dt>
              <dd>{record.reason}</dd>
            </>
          ) : null}
          {record.outcome ? (
            <>
              <dt>Outcome</dt>
              <dd>{record.outcome}</dd>
            </>
          ) : null}
          <dt>Request</dt>
          <dd>{record.requestId ?? '—'}</dd>
          {Object.keys(record.detail).length ? (
            <>
              <dt>Detail</dt>
              <dd>
                <code>{JSON.stringify(record.detail)}</code>
              </dd>
            </>
          ) : null}
          <dt>Hash</dt>
          <dd>
            <code>{record.hash}</code>
          </dd>
        </dl>
      </details>
    </li>
  );
}
