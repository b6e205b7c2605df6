import { z } from 'zod';
import { SAFE_TEXT } from '../audit/unsafe-text.js';
import { errors } from '../errors.js';

/** Text without control, bidi or line-separator characters (audit/unsafe-text.ts). */
export const safeText = (max: number) =>
  z.string().max(max).regex(SAFE_TEXT, 'must not contain control characters');

/** Validates with a zod schema; the first issue becomes a 400 naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.map(String).join('.') : 'body';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.join(', ')}`
        : `${field}: ${issue?.message ?? 'invalid'}`;
    throw errors.invalidParams(
      issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? field) : field,
      message,
    );
  }
  return result.data;
}

/** A raw query string as entries, refusing repeated keys. */
export function queryObject(rawQuery: string): Record<string, string> {
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    if (key in result) throw errors.invalidParams(key, `${key} is repeated`);
    result[key] = value;
  }
  return { ...result };
}
