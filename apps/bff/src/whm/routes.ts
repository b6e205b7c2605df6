import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Router } from 'express';
import type { Compressor } from '../compression/compressor.js';
import { actorOf, rawQueryOf } from '../http/context.js';
import { handle } from '../http/middleware.js';
import { sendJson } from '../http/respond.js';
import { strictRouter } from '../http/router.js';
import type { WhmResponse } from './answers.js';
import { SerializedAnswer } from './shared-reads.js';
import type { WhmCallRequest } from './validation.js';
import type { WhmService } from './whm-service.js';

/** The WHM servers and the only path to WHM (the hot read path, hot-reads.ts, answers most reads). */
export function whmRoutes(whm: WhmService, compressor?: Compressor): Router {
  const router = strictRouter();
  router.get('/servers', (_req, res) => {
    res.json({ servers: whm.servers(actorOf(res).operator) });
  });

  router.get(
    '/servers/:server/whm-user',
    handle(async (req, res) => {
      res.json(await whm.whmUserTwoFactor(actorOf(res).operator, String(req.params.server)));
    }),
  );

  router.get(
    '/servers/:server/two-factor-availability',
    handle(async (req, res) => {
      res.json(await whm.twoFactorAvailability(actorOf(res).operator, String(req.params.server)));
    }),
  );

  router.all(
    '/servers/:server/whm/:function',
    handle(async (req, res) => {
      const actor = actorOf(res);
      const answer = await whm.call(
        actor,
        whmCallOf(req, String(req.params.server), String(req.params.function), req.body),
        (upstream, call) => upstream.viaProxy(req, res, call),
      );
      sendAnswer(res, answer, compressor);
    }),
  );
  return router;
}

/** What a WHM call asks for, read off the request the same way on every path. */
export function whmCallOf(
  req: IncomingMessage,
  server: string,
  fn: string,
  body: unknown,
): WhmCallRequest {
  return {
    server,
    fn,
    method: req.method ?? 'GET',
    rawQuery: rawQueryOf(req.url ?? ''),
    body,
    hasRequestBody:
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length'] ?? 0) > 0,
  };
}

/**
 * A WHM answer: a shared read's bytes (compressed when asked, ADR 013), anything else serialized
 * and never compressed (a write's answer, WHM's generated 2FA secret among them). `headers`: the
 * hot read path's flat list (respond.ts, sendJson).
 */
export function sendAnswer(
  res: ServerResponse,
  answer: WhmResponse | SerializedAnswer,
  compressor?: Compressor,
  headers?: readonly string[],
): void {
  if (!(answer instanceof SerializedAnswer)) sendJson(res, 200, JSON.stringify(answer), headers);
  else if (compressor) compressor.sendShared(res, answer, headers);
  else sendJson(res, 200, answer.body, headers);
}
