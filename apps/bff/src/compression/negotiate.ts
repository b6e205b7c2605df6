/** The content codings the console sends, best first (ADR 013). */
export type Encoding = 'br' | 'gzip';

const QVALUE = /^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

/**
 * The coding to send for an `Accept-Encoding` header (RFC 9110 §12.5.3): the acceptable one
 * (q > 0) with the highest q, br on a tie; `*` stands for any coding the header does not name;
 * `x-gzip` is gzip. No header, or nothing we have acceptable: null, and the body goes as it is
 * (identity, even when the header refuses it: an uncompressed answer beats a 406).
 */
export function negotiateEncoding(header: string | undefined): Encoding | null {
  if (!header) return null;
  let br: number | undefined;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of header.split(',')) {
    const [rawName = '', ...params] = part.split(';');
    const name = rawName.trim().toLowerCase();
    if (name !== 'br' && name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue;
    let q = 1;
    for (const param of params) {
      const text = param.trim();
      if (!/^q=/i.test(text)) continue;
      // A malformed weight makes the entry unusable rather than guessing what it meant.
      q = QVALUE.test(text) ? Number(text.slice(2)) : 0;
    }
    if (name === 'br') br = Math.max(br ?? 0, q);
    else if (name === '*') any = Math.max(any ?? 0, q);
    else gzip = Math.max(gzip ?? 0, q);
  }
  const brQ = br ?? any ?? 0;
  const gzipQ = gzip ?? any ?? 0;
  if (brQ > 0 && brQ >= gzipQ) return 'br';
  if (gzipQ > 0) return 'gzip';
  return null;
}

/** Adds Accept-Encoding to Vary, keeping what is there. */
export function varyOnAcceptEncoding(res: {
  getHeader(name: string): number | string | string[] | undefined;
  setHeader(name: string, value: string): unknown;
}): void {
  const vary = res.getHeader('vary');
  if (vary === undefined || vary === '') res.setHeader('vary', 'Accept-Encoding');
  else if (!/(?:^|,)\s*(?:accept-encoding|\*)\s*(?:,|$)/i.test(String(vary))) {
    res.setHeader('vary', `${String(vary)}, Accept-Encoding`);
  }
}
