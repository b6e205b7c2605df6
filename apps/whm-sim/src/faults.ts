import { z } from 'zod';

export const faultModes = [
  'latency',
  'hang',
  'stall',
  'reset',
  'status',
  'html',
  'truncated',
  'result0',
] as const;
export type FaultMode = (typeof faultModes)[number];

export interface FaultSpec {
  mode: FaultMode;
  /** A WHM function name, or `*` (the default) for every function. */
  fn?: string;
  /** `latency`: added delay (default 1000). */
  ms?: number;
  /** `status`: the HTTP status (default 500). */
  status?: number;
  /** `result0`: WHM's reason. */
  reason?: string;
  /** Clears itself after this many requests. */
  times?: number;
}

const faultSpec = z.object({
  mode: z.enum(faultModes),
  fn: z
    .string()
    .regex(/^(\*|[A-Za-z0-9_]+)$/)
    .optional(),
  ms: z.number().int().min(0).max(3_600_000).optional(),
  status: z.number().int().min(100).max(599).optional(),
  reason: z.string().optional(),
  times: z.number().int().min(1).optional(),
});

interface ActiveFault {
  spec: FaultSpec;
  remaining: number;
}

/** At most one fault per function; a function's own fault wins over `*`. */
export class FaultRegistry {
  private readonly active = new Map<string, ActiveFault>();

  set(spec: FaultSpec): void {
    const parsed = faultSpec.safeParse(spec);
    if (!parsed.success) {
      throw new Error(`invalid fault: ${parsed.error.issues[0]?.message ?? 'unknown problem'}`);
    }
    this.active.set(spec.fn ?? '*', { spec, remaining: spec.times ?? Infinity });
  }

  clear(): void {
    this.active.clear();
  }

  /** The fault to apply to one call of `fn`, counting it against `times`. */
  take(fn: string): FaultSpec | undefined {
    const key = this.active.has(fn) ? fn : '*';
    const fault = this.active.get(key);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.active.delete(key);
    return fault.spec;
  }
}

/** `FN:MODE[:ARG]`: ARG is `ms` for latency, the status for status, the reason for result0. */
export function parseFaultFlag(text: string): FaultSpec {
  const [fn = '', mode = '', ...rest] = text.split(':');
  const arg = rest.length > 0 ? rest.join(':') : undefined;
  if (!(faultModes as readonly string[]).includes(mode)) {
    throw new Error(`--fault ${text}: mode must be one of ${faultModes.join(', ')}`);
  }
  const spec: FaultSpec = { fn: fn === '' ? '*' : fn, mode: mode as FaultMode };
  if (arg !== undefined) {
    if (spec.mode === 'result0') {
      spec.reason = arg;
    } else if (spec.mode === 'latency' || spec.mode === 'status') {
      const value = Number(arg);
      if (!Number.isInteger(value) || value < 0) {
        throw new Error(`--fault ${text}: ${arg} is not a whole number`);
      }
      if (spec.mode === 'latency') spec.ms = value;
      else spec.status = value;
    } else {
      throw new Error(`--fault ${text}: mode ${mode} takes no argument`);
    }
  }
  new FaultRegistry().set(spec);
  return spec;
}
