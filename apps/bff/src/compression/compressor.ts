import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { RequestHandler } from 'express';
import type { ServerResponse } from 'node:http';
import { sendJson } from '../http/respond.js';
import type { SerializedAnswer } from '../whm/shared-reads.js';
import { negotiateEncoding, varyOnAcceptEncoding, type Encoding } from './negotiate.js';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export interface CompressionSettings {
  /** Bodies below this go as they are: the hot small reads stay as cheap as before. */
  minBytes: number;
  brotliQuality: number;
  gzipLevel: number;
}

export const DEFAULT_COMPRESSION: CompressionSettings = {
  minBytes: 1024,
  brotliQuality: 5,
  gzipLevel: 6,
};

/** Read answers under /api that carry a secret and so are never compressed (ADR 013, BREACH). */
const SECRET_BEARING_READS = new Set(['/sign-in']);

/**
 * gzip and brotli for /api answers (ADR 013). Only reads: every write's answer (login's cookie,
 * TOTP setup secrets, WHM's generated 2FA secret) and every error goes uncompressed. The work runs
 * on libuv's pool (node:zlib's async API), never on the event loop.
 */
export class Compressor {
  /** Compressions done, by coding: a shared answer is compressed once for all its callers. */
  readonly counts: Record<Encoding, number> = { br: 0, gzip: 0 };

  constructor(readonly settings: CompressionSettings = DEFAULT_COMPRESSION) {}

  readonly compress = (body: Buffer, encoding: Encoding): Promise<Buffer> => {
    this.counts[encoding] += 1;
    if (encoding === 'br') {
      return brotliAsync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: this.settings.brotliQuality,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      });
    }
    return gzipAsync(body, { level: this.settings.gzipLevel });
  };

  /** A shared read's answer: compressed once per coding, the result shared by every caller. */
  sendShared(res: ServerResponse, answer: SerializedAnswer, headers?: readonly string[]): void {
    const { body } = answer;
    if (body.length < this.settings.minBytes) return sendBody(res, body, null, headers);
    varyOnAcceptEncoding(res);
    const encoding = negotiateEncoding(res.req.headers['accept-encoding']);
    if (!encoding) return sendBody(res, body, null, headers);
    answer.encoded(encoding, this.compress).then(
      (encoded) => sendBody(res, encoded, encoding, headers),
      () => sendBody(res, body, null, headers),
    );
  }

  /** For Express's /api routes: `res.json` of a GET answers compressed when it is worth it. */
  json(): RequestHandler {
    return (req, res, next) => {
      if (req.method !== 'GET' || SECRET_BEARING_READS.has(req.path)) {
        next();
        return;
      }
      const json = res.json.bind(res);
      res.json = (value: unknown) => {
        if (value === undefined || res.statusCode !== 200 || res.getHeader('set-cookie')) {
          return json(value);
        }
        const text = JSON.stringify(value);
        // As res.json would, without serializing the value a second time.
        const asIs = () => (res.get('content-type') ? res : res.type('json')).send(text);
        if (text.length < this.settings.minBytes) return asIs();
        varyOnAcceptEncoding(res);
        const encoding = negotiateEncoding(req.headers['accept-encoding']);
        if (!encoding) return asIs();
        const body = Buffer.from(text);
        this.compress(body, encoding).then(
          (encoded) => sendBody(res, encoded, encoding),
          () => sendBody(res, body, null),
        );
        return res;
      };
      next();
    };
  }
}

function sendBody(
  res: ServerResponse,
  body: Buffer,
  encoding: Encoding | null,
  headers?: readonly string[],
): void {
  if (encoding) res.setHeader('content-encoding', encoding);
  sendJson(res, 200, body, headers);
}
