import { randomInt } from 'node:crypto';
import { XID_ALPHABET } from '@console/whm-api';

/** A fresh `(XID xxxxxx) ` prefix, as `Cpanel/Exception/CORE.pm` writes one per exception. */
export function xid(): string {
  let id = '';
  for (let i = 0; i < 6; i += 1) id += XID_ALPHABET[randomInt(XID_ALPHABET.length)];
  return `(XID ${id}) `;
}

/** A cPanel exception turned into text: its message after a fresh XID. */
export function exceptionText(message: string): string {
  return `${xid()}${message}`;
}
