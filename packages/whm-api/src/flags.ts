import { z } from 'zod';

/**
 * WHM booleans are 1 and 0, sent as numbers or as numeric strings depending on the server.
 * One multi-value literal with `overwrite`, not a union piped into a transform: a 10,000-account
 * answer has tens of thousands of flags, and the union and pipe allocated several objects each
 * (about a third of the contract check's garbage; ADR 007).
 */
export const flag = z
  .literal([0, 1, '0', '1'])
  .overwrite((value) => (value === 1 || value === '1' ? 1 : 0)) as unknown as z.ZodType<
  0 | 1,
  0 | 1 | '0' | '1'
>;

export type Flag = z.output<typeof flag>;

/** Counts and limits that WHM sends as numbers or strings (`"unlimited"` among them). */
export const numberOrString = z.union([z.number(), z.string()]);
