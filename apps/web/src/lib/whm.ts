import type { DataOf, WhmFunctionName } from '@console/whm-api';
import { api, type QueryParams } from './api-client';

/** `data` of a WHM function as the contract parses it (`undefined` where WHM sends none). */
export type WhmData<F extends WhmFunctionName> = DataOf<F>;

export interface WhmAnswer<F extends WhmFunctionName> {
  data: WhmData<F>;
  metadata: { command: string; reason: string; result: number };
}

/** Every WHM answer is cached under its server and function, so any screen can refresh another's. */
export const whmKeys = {
  all: ['whm'] as const,
  server: (server: string) => [...whmKeys.all, server] as const,
  fn: (server: string, fn: WhmFunctionName) => [...whmKeys.server(server), fn] as const,
};

function whmPath(server: string, fn: WhmFunctionName): string {
  return `/api/servers/${encodeURIComponent(server)}/whm/${fn}`;
}

export function whmRead<F extends WhmFunctionName>(
  server: string,
  fn: F,
  params?: QueryParams,
  signal?: AbortSignal,
): Promise<WhmAnswer<F>> {
  return api<WhmAnswer<F>>(whmPath(server, fn), { query: params, signal });
}

export function whmWrite<F extends WhmFunctionName, R = WhmAnswer<F>>(
  server: string,
  fn: F,
  body: Record<string, unknown> = {},
): Promise<R> {
  return api<R>(whmPath(server, fn), { method: 'POST', body });
}

/** WHM booleans are 1/0, as numbers or strings depending on the server. */
export function isOn(flag: unknown): boolean {
  return Number(flag) === 1;
}
