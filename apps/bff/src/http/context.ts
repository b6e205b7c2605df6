import type { IncomingMessage } from 'node:http';
import type { Request, Response } from 'express';
import proxyAddr from 'proxy-addr';
import { errors } from '../errors.js';
import type { Actor, RequestContext } from '../sessions/session-service.js';

export interface Locals {
  requestId: string;
  actor?: Actor;
  /** Why the CSRF check refused this request (for the denial record). */
  csrfProblem?: string;
}

export function locals(res: Response): Locals {
  return res.locals as Locals;
}

export function requestContext(req: Request, res: Response): RequestContext {
  return {
    sourceIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    requestId: locals(res).requestId,
  };
}

export function actorOf(res: Response): Actor {
  const actor = locals(res).actor;
  if (!actor) throw errors.unauthenticated();
  return actor;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export interface CookieSettings {
  name: string;
  secure: boolean;
  maxAgeSeconds: number;
}

export function cookieSettings(secure: boolean, absoluteMs: number): CookieSettings {
  return {
    name: secure ? '__Host-console_session' : 'console_session',
    secure,
    maxAgeSeconds: Math.floor(absoluteMs / 1000),
  };
}

export function sessionCookie(settings: CookieSettings, value: string | null): string {
  const attributes = [
    `${settings.name}=${value ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${value === null ? 0 : settings.maxAgeSeconds}`,
  ];
  if (settings.secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function rawQueryOf(url: string): string {
  const index = url.indexOf('?');
  return index === -1 ? '' : url.slice(index + 1);
}

/** The client address as Express's `req.ip` gives it with `trust proxy` set to `hops`. */
export function sourceIpOf(req: IncomingMessage, hops: number): string {
  // With no proxy trusted, the socket's peer (what proxy-addr returns then, without parsing
  // X-Forwarded-For on every request of the hot path).
  if (hops === 0) return req.socket.remoteAddress ?? '';
  return proxyAddr(req, (_address, index) => index < hops);
}
