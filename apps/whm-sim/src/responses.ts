import type { ServerResponse } from 'node:http';

/** What every cpsrvd answer carries: nothing here may be cached. */
const COMMON_HEADERS = {
  'cache-control': 'no-cache, no-store, must-revalidate, private',
  'x-content-type-options': 'nosniff',
};

export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'text/plain; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, title: string, body: string): void {
  const html = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p></body></html>\n`;
  res.writeHead(status, {
    ...COMMON_HEADERS,
    'content-type': 'text/html; charset=UTF-8',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
}
