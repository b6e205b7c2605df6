/** A reason with a fresh XID where WHM puts one: `before` + `(XID xxxxxx) ` + `after`, exactly. */
export function xidReason(before: string, after: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escape(before)}\\(XID [a-hjkmnp-z2-9]{6}\\) ${escape(after)}$`);
}

/** The XID inside a reason, to show that two calls got different ones. */
export function xidOf(reason: string): string | undefined {
  return /\(XID ([a-hjkmnp-z2-9]{6})\) /.exec(reason)?.[1];
}
