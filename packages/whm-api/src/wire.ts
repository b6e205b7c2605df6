import { z } from 'zod';
import { catalogue, type ParamsOf, type WhmFunctionName } from './catalogue.js';

/** WHM's generic output options for functions that return an array under `data`. */
export const filterTypes = ['contains', 'begins', 'eq', '==', '!=', 'lt', 'gt'] as const;
export const sortMethods = ['lexicographic', 'numeric'] as const;
const field = z.string().regex(/^[a-z0-9_]{1,64}$/, 'must be a field name');
export const outputOptions = z.object({
  filter: z
    .array(
      z.object({ field, arg0: z.string().max(256), type: z.enum(filterTypes).default('contains') }),
    )
    .max(26)
    .optional(),
  sort: z
    .array(
      z.object({
        field,
        method: z.enum(sortMethods).default('lexicographic'),
        reverse: z.boolean().default(false),
      }),
    )
    .max(26)
    .optional(),
  chunk: z
    .object({
      size: z.number().int().min(1).max(100_000),
      start: z.number().int().min(1).default(1),
    })
    .optional(),
  columns: z.array(field).max(64).optional(),
});
export type OutputOptions = z.input<typeof outputOptions>;
export type ParsedOutputOptions = z.output<typeof outputOptions>;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

export class WireDecodeError extends Error {
  override readonly name = 'WireDecodeError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Builds the query or form body WHM expects, `api.version=1` first. */
export function encodeParams<F extends WhmFunctionName>(
  name: F,
  params: ParamsOf<F>,
  output?: OutputOptions,
): URLSearchParams {
  const wire = new URLSearchParams({ 'api.version': '1' });
  const spec = catalogue[name];
  if (spec.body === 'json') return wire;
  for (const [key, value] of Object.entries(
    params as Record<string, string | number | readonly string[] | undefined>,
  )) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      // cPanel's form parser names the second `key-0`, the third `key-1`, ...
      value.forEach((item, index) =>
        wire.append(index === 0 ? key : `${key}-${index - 1}`, String(item)),
      );
    } else {
      wire.append(key, String(value));
    }
  }
  if (output) encodeOutputOptions(wire, output);
  return wire;
}

function encodeOutputOptions(wire: URLSearchParams, output: OutputOptions): void {
  const each = <T>(
    prefix: string,
    items: readonly T[] | undefined,
    put: (key: string, item: T) => void,
  ) => {
    if (!items?.length) return;
    wire.append(`api.${prefix}.enable`, '1');
    items.forEach((item, index) => put(`api.${prefix}.${LETTERS[index]}`, item));
  };
  each('filter', output.filter, (key, f) => {
    wire.append(`${key}.field`, f.field);
    wire.append(`${key}.arg0`, f.arg0);
    wire.append(`${key}.type`, f.type ?? 'contains');
  });
  each('sort', output.sort, (key, s) => {
    wire.append(`${key}.field`, s.field);
    wire.append(`${key}.method`, s.method ?? 'lexicographic');
    wire.append(`${key}.reverse`, s.reverse ? '1' : '0');
  });
  each('columns', output.columns, (key, column) => wire.append(key, column));
  if (output.chunk) {
    wire.append('api.chunk.enable', '1');
    wire.append('api.chunk.size', String(output.chunk.size));
    wire.append('api.chunk.start', String(output.chunk.start ?? 1));
  }
}

export interface DecodedParams {
  params: Record<string, unknown>;
  output: ParsedOutputOptions | undefined;
}

/**
 * Turns WHM wire params back into the shape the catalogue validates. `strict` (the BFF) refuses
 * repeated and unknown keys, naming them; lenient (the simulator, like WHM) takes the first value
 * and ignores what it does not know.
 */
export function decodeParams(
  name: WhmFunctionName,
  entries: Iterable<[string, string]>,
  { strict }: { strict: boolean },
): DecodedParams {
  const spec = catalogue[name];
  const multi = new Set<string>(spec.multi ?? []);
  const known = new Set(Object.keys(spec.params.shape));
  const params: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const multiValues = new Map<string, { index: number; value: string }[]>();
  const api = new Map<string, string>();

  for (const [key, value] of entries) {
    if (key.startsWith('api.')) {
      if (key === 'api.version') continue;
      if (api.has(key)) {
        if (strict) throw new WireDecodeError(key, `${key} is repeated`);
        continue;
      }
      api.set(key, value);
      continue;
    }
    const multiMatch = /^([a-z_]+)-(\d{1,4})$/.exec(key);
    const base = multiMatch?.[1] ?? key;
    if (multi.has(base)) {
      const list = multiValues.get(base) ?? [];
      const index = multiMatch ? Number(multiMatch[2]) + 1 : 0;
      if (list.some((item) => item.index === index)) {
        if (strict) throw new WireDecodeError(key, `${key} is repeated`);
        continue;
      }
      list.push({ index, value });
      multiValues.set(base, list);
      continue;
    }
    if (!known.has(key)) {
      if (strict) throw new WireDecodeError(key, `${key} is not a parameter of ${name}`);
      continue;
    }
    if (key in params) {
      if (strict) throw new WireDecodeError(key, `${key} is repeated`);
      continue;
    }
    params[key] = value;
  }
  for (const [base, list] of multiValues) {
    const values = list.sort((a, b) => a.index - b.index).map((item) => item.value);
    params[base] = values.length === 1 ? values[0] : values;
  }
  let output: ParsedOutputOptions | undefined;
  if (api.size > 0) {
    if (!spec.outputOptions) {
      if (strict)
        throw new WireDecodeError([...api.keys()][0] ?? 'api', `${name} takes no api.* options`);
    } else {
      output = decodeOutputOptions(api, strict);
    }
  }
  return { params, output };
}

function decodeOutputOptions(api: Map<string, string>, strict: boolean): ParsedOutputOptions {
  const raw: Record<string, unknown> = {};
  const consumed = new Set<string>();
  const take = (key: string) => {
    consumed.add(key);
    return api.get(key);
  };
  const lettered = <T>(prefix: string, read: (key: string) => T | undefined): T[] | undefined => {
    if (take(`api.${prefix}.enable`) !== '1') return undefined;
    const items: T[] = [];
    for (const letter of LETTERS) {
      const item = read(`api.${prefix}.${letter}`);
      if (item === undefined) break;
      items.push(item);
    }
    return items;
  };
  raw.filter = lettered('filter', (key) => {
    const fieldName = take(`${key}.field`);
    if (fieldName === undefined) return undefined;
    return { field: fieldName, arg0: take(`${key}.arg0`) ?? '', type: take(`${key}.type`) };
  });
  raw.sort = lettered('sort', (key) => {
    const fieldName = take(`${key}.field`);
    if (fieldName === undefined) return undefined;
    return {
      field: fieldName,
      method: take(`${key}.method`),
      reverse: take(`${key}.reverse`) === '1',
    };
  });
  raw.columns = lettered('columns', (key) => take(key));
  if (take('api.chunk.enable') === '1') {
    raw.chunk = {
      size: Number(take('api.chunk.size') ?? NaN),
      start: Number(take('api.chunk.start') ?? 1),
    };
  }
  if (strict) {
    const leftover = [...api.keys()].find((key) => !consumed.has(key));
    if (leftover) throw new WireDecodeError(leftover, `${leftover} is not a known api option`);
  }
  const parsed = outputOptions.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WireDecodeError(
      `api.${issue?.path.join('.') ?? ''}`,
      issue?.message ?? 'invalid api option',
    );
  }
  return parsed.data;
}
