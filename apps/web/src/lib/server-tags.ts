/** The BFF's rule for a server tag (SERVER_TAG_PATTERN in apps/bff/src/whm/servers.ts). */
export const SERVER_TAG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;
export const SERVER_TAG_RULE = 'A tag is 1 to 32 of a-z, 0-9, “.”, “_”, “-”.';
export const TAGS_MAX = 20;

/** Tags as typed: separated by spaces or commas, each once. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** What is wrong with typed tags, or undefined. */
export function checkTags(raw: string): string | undefined {
  const tags = parseTags(raw);
  if (tags.length > TAGS_MAX) return `At most ${TAGS_MAX} tags.`;
  const bad = tags.filter((tag) => !SERVER_TAG_PATTERN.test(tag));
  return bad.length ? `Not a tag: ${bad.join(', ')}. ${SERVER_TAG_RULE}` : undefined;
}
