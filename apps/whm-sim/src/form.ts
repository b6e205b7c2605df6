/**
 * cPanel's legacy form parsing (`Cpanel/HTTP/QueryString/Legacy.pm`): the query string and a
 * urlencoded body are one form, query first. The first `name` keeps its name, the second becomes
 * `name-0`, the third `name-1`, ... counted per name as sent; a renamed key that is also sent
 * explicitly is one key, and the later value wins (in the place the key first took).
 */
export function cpanelForm(entries: Iterable<[string, string]>): [string, string][] {
  const form = new Map<string, string>();
  const seen = new Map<string, number>();
  for (const [name, value] of entries) {
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    form.set(count === 0 ? name : `${name}-${count - 1}`, value);
  }
  return [...form];
}
