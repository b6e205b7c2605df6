/** How Perl sees the simulator's JSON values: truth, strings, numbers, and the errors it dies with. */

export type RefKind = 'ARRAY' | 'HASH' | '';

export function refKind(value: unknown): RefKind {
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'object' && value !== null) return 'HASH';
  return '';
}

/** False in Perl: missing, `""`, `"0"` and 0 (so `false`, sent as text, is true). */
export function perlFalse(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === '0' || value === 0;
}

export function perlString(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '';
  return refKind(value) === 'ARRAY' ? 'ARRAY(0x55d5c0ffee10)' : 'HASH(0x55d5c0ffee20)';
}

/** Perl's numeric value of a string: its leading number (`14M` is 14, `unlimited` is 0). */
export function perlNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  const match = /^\s*([+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))/.exec(
    perlString(value),
  );
  return match ? Number(match[1]) : 0;
}

export function perlInt(value: unknown): number {
  return Math.trunc(perlNumber(value));
}

/** An error a function did not catch: WHM answers `API failure: ` and this text. */
export class PerlDie extends Error {
  override readonly name = 'PerlDie';

  /** Perl's words for using `value` as an ARRAY or HASH reference under `use strict`. */
  static notA(kind: 'ARRAY' | 'HASH', value: unknown, file: string, line: number): PerlDie {
    const where = ` at ${file} line ${line}.\n`;
    const article = kind === 'ARRAY' ? 'an' : 'a';
    if (refKind(value) !== '') return new PerlDie(`Not ${article} ${kind} reference${where}`);
    if (value === undefined || value === null) {
      return new PerlDie(`Can't use an undefined value as ${article} ${kind} reference${where}`);
    }
    const text = perlString(value);
    const shown = text.length > 32 ? `"${text.slice(0, 32)}"...` : `"${text}"`;
    return new PerlDie(
      `Can't use string (${shown}) as ${article} ${kind} ref while "strict refs" in use${where}`,
    );
  }
}
