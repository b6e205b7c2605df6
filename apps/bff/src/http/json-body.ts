import express, { type RequestHandler } from 'express';
import { errors } from '../errors.js';

/**
 * Deepest nesting of objects and arrays a body may have. The console's deepest body is two
 * levels (`{user: [...]}`); the cap sits well above it and far below what would overflow the
 * stack of a recursive walk (validation, logging, the audit log's serialization).
 */
export const MAX_JSON_DEPTH = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN = new Set([0x5b, 0x7b]);
const CLOSE = new Set([0x5d, 0x7d]);

/** Scans the raw bytes, outside strings, before JSON.parse builds anything. */
export function nestsDeeperThan(bytes: Uint8Array, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (OPEN.has(byte)) {
      if (++depth > max) return true;
    } else if (CLOSE.has(byte)) depth--;
  }
  return false;
}

/** The largest /api body (respond.ts names it in the 413's message). */
export const BODY_LIMIT = '16kb';

class TooDeep extends Error {}

/** express.json for every JSON route, refusing bodies nested past MAX_JSON_DEPTH with a 400. */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({
    limit,
    type: () => true,
    strict: true,
    verify(_req, _res, buffer) {
      if (nestsDeeperThan(buffer, MAX_JSON_DEPTH)) throw new TooDeep();
    },
  });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (error instanceof TooDeep) {
        next(
          errors.invalidParams(
            'body',
            `The body is nested more than ${MAX_JSON_DEPTH} levels deep.`,
          ),
        );
        return;
      }
      next(error);
    });
  };
}
