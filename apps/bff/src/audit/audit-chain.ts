import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditKey } from './audit-key.js';

/**
 * How a record is chained. `sha256`: records written before the chain was keyed (anyone who can
 * write the database could recompute them); `hmac-sha256`: keyed with AUDIT_KEY_FILE. A chain is
 * a run of `sha256` records, then only `hmac-sha256` ones (docs/decisions/009).
 */
export const chainAlgorithms = ['sha256', 'hmac-sha256'] as const;
export type ChainAlgorithm = (typeof chainAlgorithms)[number];

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same bytes for the same record, always. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A record's hash. Keyed records hash their `chain` too, so one cannot be passed off as an
 * unkeyed one; unkeyed records hash exactly the fields they were written with.
 */
export function recordHash(
  record: { chain: ChainAlgorithm; prevHash: string } & Record<string, unknown>,
  key: AuditKey,
): string {
  if (record.chain === 'sha256') {
    const legacy: Record<string, unknown> = { ...record };
    delete legacy.chain;
    return createHash('sha256').update(record.prevHash).update(canonicalJson(legacy)).digest('hex');
  }
  return createHmac('sha256', key.secret)
    .update(record.prevHash)
    .update(canonicalJson(record))
    .digest('hex');
}

/**
 * The head's own MAC: deleting the newest records and moving the head back needs the key, so
 * verification notices a chain cut short.
 */
export function headMac(key: AuditKey, lastId: number, hash: string): string {
  return createHmac('sha256', key.secret).update(`audit-head\n${lastId}\n${hash}`).digest('hex');
}

export function sameMac(a: string | null, b: string): boolean {
  if (a === null || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
