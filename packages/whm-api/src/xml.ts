import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * WHM's XML API (`/xml-api/FUNCTION`): the JSON envelope written the way XML::Simple writes it with
 * cPanel's settings (reference/WHM-2FA.md, "XML API and the whmapi1 tool"). XML cannot say
 * everything JSON says, so a round trip loses:
 * - numbers and booleans: every scalar comes back as a string (`1`, not 1; true is `1`, false `0`);
 * - one-item arrays: they read as the item itself;
 * - empty arrays: the key disappears;
 * - `null`, `""` and `{}`: all read as `""`;
 * - maps of maps: they come back as a list (or one object) of entries, each with a `name` child.
 */

export const XML_DECLARATION = '<?xml version="1.0" ?>';
export const XML_CONTENT_TYPE = 'text/xml; charset=UTF-8';

/** XML::Simple's default `KeyAttr`: a hash holding one of these writes it first; `name` folds maps. */
const KEY_ATTRIBUTES = ['name', 'key', 'id'] as const;
const FOLD_KEY = KEY_ATTRIBUTES[0];

type XmlNode = string | XmlNode[] | { [key: string]: XmlNode };

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** XML::Simple escapes these four and leaves `'` alone. */
function escapeText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  throw new TypeError(`${typeof value} has no place in a WHM answer`);
}

/** Key attribute first, the rest in alphabetical (code point) order, as XML::Simple sorts. */
function orderedKeys(map: Record<string, unknown>): string[] {
  const keys = Object.keys(map).sort();
  const first = KEY_ATTRIBUTES.find((key) => Object.hasOwn(map, key));
  return first ? [first, ...keys.filter((key) => key !== first)] : keys;
}

/** A non-empty map whose every value is a map: one entry each, its key moved into `name`. */
function unfolded(value: unknown): Record<string, unknown>[] | undefined {
  if (!isMap(value)) return undefined;
  const keys = Object.keys(value).sort();
  if (keys.length === 0 || !keys.every((key) => isMap(value[key]))) return undefined;
  // The entry's own `name`, if it has one, wins over the key.
  return keys.map((key) => ({ [FOLD_KEY]: key, ...(value[key] as Record<string, unknown>) }));
}

function toNode(value: unknown): XmlNode {
  if (Array.isArray(value)) {
    // An array inside an array has no key of its own to repeat: XML::Simple calls it `anon`.
    return value.map((item) => (Array.isArray(item) ? { anon: toNode(item) } : toNode(item)));
  }
  if (!isMap(value)) return scalarText(value);
  const node: Record<string, XmlNode> = {};
  for (const key of orderedKeys(value)) {
    const child = value[key];
    if (child === undefined) continue;
    node[key] = toNode(unfolded(child) ?? child);
  }
  return Object.keys(node).length === 0 ? '' : node;
}

const builder = new XMLBuilder({
  ignoreAttributes: true,
  // Text is escaped above, the XML::Simple way.
  processEntities: false,
  suppressEmptyNode: false,
  format: false,
});

/** An envelope (`{metadata, data?}`, or API 0's flat shape) as WHM's XML API writes it. */
export function toWhmXml(envelope: Readonly<Record<string, unknown>>): string {
  return `${XML_DECLARATION}\n${builder.build({ result: toNode(envelope) })}`;
}

export class WhmXmlError extends Error {
  override readonly name = 'WhmXmlError';
}

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Everything stays a string: XML cannot tell 1 from "1", and "0012" must stay "0012".
  parseTagValue: false,
  // Whitespace can be part of a value (a Perl error ends in a newline); only indentation goes.
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
});

function withoutIndentation(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIndentation);
  if (!isMap(node)) return node;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    if (key === '#text' && typeof child === 'string' && child.trim() === '') continue;
    out[key] = withoutIndentation(child);
  }
  return Object.keys(out).length === 0 ? '' : out;
}

/**
 * Reads an XML API answer back into a tree: `<result>`'s children, every scalar a string, repeated
 * elements as arrays. The lossy points above are not undone here: only the caller knows what a
 * function's `data` should look like.
 */
export function parseWhmXml(text: string): Record<string, unknown> {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new WhmXmlError(`not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  }
  const document = withoutIndentation(parser.parse(text)) as Record<string, unknown>;
  const root = isMap(document) ? document.result : undefined;
  if (root === '') return {};
  if (!isMap(root) || Object.keys(document).length !== 1) {
    throw new WhmXmlError('the XML has no single <result> root');
  }
  return root;
}
