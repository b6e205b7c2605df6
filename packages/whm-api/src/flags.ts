import { z } from 'zod';

/** WHM booleans are 1 and 0, sent as numbers or as numeric strings depending on the server. */
export const flag = z
  .union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1')])
  .transform((value): 0 | 1 => (Number(value) === 1 ? 1 : 0));

export type Flag = z.output<typeof flag>;

/** Counts and limits that WHM sends as numbers or strings (`"unlimited"` among them). */
export const numberOrString = z.union([z.number(), z.string()]);
