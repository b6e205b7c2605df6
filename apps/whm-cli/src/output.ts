import { toWhmXml } from '@console/whm-api';
import { Document } from 'yaml';
import type { OutputFormat } from './args.js';

/** `data` before `metadata`, as cPanel's tool prints them; anything else WHM sent after. */
function inWhmapi1Order(envelope: Record<string, unknown>): Record<string, unknown> {
  const { data, metadata, ...rest } = envelope;
  return { ...(data === undefined ? {} : { data }), metadata, ...rest };
}

/** The answer as `whmapi1 --output=FORMAT` prints it. */
export function formatAnswer(envelope: Record<string, unknown>, format: OutputFormat): string {
  const ordered = inWhmapi1Order(envelope);
  switch (format) {
    case 'yaml':
      return new Document(ordered).toString({ directives: true });
    case 'json':
      return `${JSON.stringify(ordered)}\n`;
    case 'jsonpretty':
      // JSON::XS's pretty printer, which cPanel's tool uses, indents by three spaces.
      return `${JSON.stringify(ordered, null, 3)}\n`;
    case 'xml':
      return `${toWhmXml(ordered)}\n`;
  }
}
