import type { AuditRecord } from './audit-log.js';

/** CSV with every cell quoted; cells that a spreadsheet would run as a formula get a `'`. */
export function auditCsv(records: readonly AuditRecord[]): string {
  const header = [
    'id',
    'at',
    'kind',
    'operator',
    'role',
    'sourceIp',
    'server',
    'function',
    'target',
    'reason',
    'requestId',
    'outcome',
    'detail',
    'prevHash',
    'hash',
  ];
  const cell = (value: string | number | null): string => {
    let text = value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return `"${text.replace(/"/g, '""')}"`;
  };
  const lines = [header.join(',')];
  for (const record of records) {
    lines.push(
      [
        record.id,
        record.at,
        record.kind,
        record.operator,
        record.role,
        record.sourceIp,
        record.server,
        record.function,
        record.target.join(' '),
        record.reason,
        record.requestId,
        record.outcome,
        JSON.stringify(record.detail),
        record.prevHash,
        record.hash,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
