import { createWhmClient, type WhmClient } from '@console/whm-api';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator.js';

export const ROOT_TOKEN = 'root-token-for-tests';

export interface TestSimulator {
  sim: Simulator;
  root: WhmClient;
  clientFor(user: string, token: string, timeoutMs?: number): WhmClient;
  /** A reseller with a fresh token, and its client. */
  reseller(index: number): { user: string; client: WhmClient };
  /** The raw answer, for what the typed client hides (a missing `data` key, HTTP status). */
  raw(path: string, init?: RequestInit): Promise<{ status: number; body: string; json: unknown }>;
}

export async function startTestSimulator(
  options: Partial<SimulatorOptions> = {},
): Promise<TestSimulator> {
  const sim = await startSimulator({ rootToken: ROOT_TOKEN, ...options });
  const clientFor = (user: string, token: string, timeoutMs = 5_000) =>
    createWhmClient({ url: sim.url, user, token, timeoutMs });
  return {
    sim,
    root: clientFor('root', ROOT_TOKEN),
    clientFor,
    reseller(index) {
      const user = sim.accounts().filter((acct) => acct.reseller)[index]?.user;
      if (!user) throw new Error(`the simulator has no reseller number ${index}`);
      const token = `token-of-${user}`;
      sim.addToken(user, token);
      return { user, client: clientFor(user, token) };
    },
    async raw(path, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('authorization')) headers.set('authorization', `whm root:${ROOT_TOKEN}`);
      const response = await fetch(new URL(path, sim.url), { ...init, headers });
      const body = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      return { status: response.status, body, json };
    },
  };
}
