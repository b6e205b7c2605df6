import type { SignInInfo } from '../features/auth/api/get-sign-in-info';
import type {
  CaughtMessage,
  MailInfo,
  MailSettings,
  OutboxMessage,
} from '../features/mail/api/mail';
import { vi } from 'vitest';

/**
 * A small in-memory BFF that answers as docs/api.md says, at the `fetch` level: tests drive the
 * real api-client, query hooks and components against it.
 */

type Role = 'admin' | 'support' | 'viewer';

export interface FakeOperator {
  id: number;
  username: string;
  password: string;
  role: Role;
  totpEnabled: boolean;
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  activeSessions: number;
  /** Made by single sign-on: steps up at the provider. */
  sso?: boolean;
  /** The servers it may use, by tag; null: every server. */
  serverTags?: string[] | null;
}

export interface FakeAccount {
  user: string;
  domain: string;
  owner: string;
  plan: string;
  email: string;
  suspended: 0 | 1;
}

export interface FakeAuditRecord {
  id: number;
  at: string;
  kind: 'intent' | 'outcome' | 'denied' | 'session' | 'operator' | 'chain';
  operator: string;
  role: Role;
  sourceIp: string;
  server: string;
  function: string;
  target: string[];
  reason: string | null;
  requestId: string;
  outcome: 'success' | 'partial' | 'failure' | 'unknown' | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
  body: unknown;
}

/** The only code the fake's TOTP accepts, for operators and for the WHM user alike. */
export const VALID_CODE = '123456';
export const GENERATED_SECRET = 'JBSWY3DPEHPK3PXPABCD';

const now = '2026-11-22T12:00:00.000Z';

export function makeOperator(
  id: number,
  username: string,
  role: Role,
  extra: Partial<FakeOperator> = {},
): FakeOperator {
  return {
    id,
    username,
    password: 'correct horse battery',
    role,
    totpEnabled: false,
    disabled: false,
    createdAt: now,
    lastLoginAt: null,
    activeSessions: 0,
    ...extra,
  };
}

export function makeAccount(
  user: string,
  owner = 'root',
  extra: Partial<FakeAccount> = {},
): FakeAccount {
  const domain = `${user}.example.com`;
  return { user, domain, owner, plan: 'default', email: `admin@${domain}`, suspended: 0, ...extra };
}

export interface FakeFleetSnapshot {
  at: string;
  reachable: boolean;
  fault: string | null;
  policyEnabled: boolean | null;
  issuer: string | null;
  accounts: number;
  enrolled: number;
  withoutFeature: number;
  suspended: number;
  coverage: number | null;
}

export interface FakeFleetServer {
  id: string;
  label: string;
  tags: string[];
  snapshot: FakeFleetSnapshot | null;
}

export interface FakeFleetMatch {
  server: string;
  serverLabel: string;
  user: string;
  domain: string;
  owner: string;
  plan: string;
  twoFactor: 'on' | 'off' | 'unavailable';
  suspended: boolean;
}

/** A fleet server that was read at `now`, its coverage from enrolled / (accounts − without feature). */
export function makeFleetServer(
  id: string,
  extra: Partial<FakeFleetSnapshot> & { tags?: string[]; label?: string } = {},
): FakeFleetServer {
  const { tags = [], label = id, ...snapshot } = extra;
  const accounts = snapshot.accounts ?? 100;
  const enrolled = snapshot.enrolled ?? 50;
  const withoutFeature = snapshot.withoutFeature ?? 0;
  const eligible = accounts - withoutFeature;
  return {
    id,
    label,
    tags,
    snapshot: {
      at: now,
      reachable: true,
      fault: null,
      policyEnabled: true,
      issuer: `${id}.example.com`,
      suspended: 0,
      coverage: eligible > 0 ? enrolled / eligible : null,
      ...snapshot,
      accounts,
      enrolled,
      withoutFeature,
    },
  };
}

export interface FakeManagedServer {
  id: string;
  label: string;
  url: string;
  user: string;
  tags: string[];
  hasCa: boolean;
  disabled: boolean;
  managedBy: 'console' | 'file' | 'demo';
  /** What the fake BFF stores and never answers with. */
  token?: string;
}

export type FakeConnectionTest =
  | { ok: true; ms: number; policyEnabled: boolean }
  | { ok: false; ms: number; problem: string; message: string };

export function makeManagedServer(
  id: string,
  extra: Partial<FakeManagedServer> = {},
): FakeManagedServer {
  return {
    id,
    label: id,
    url: `https://${id}.example.com:2087`,
    user: 'root',
    tags: [],
    hasCa: false,
    disabled: false,
    managedBy: 'console',
    token: 'STOREDTOKEN0123456789',
    ...extra,
  };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export class FakeBff {
  operators: FakeOperator[] = [
    makeOperator(1, 'admin', 'admin'),
    makeOperator(2, 'support', 'support'),
    makeOperator(3, 'viewer', 'viewer'),
  ];
  accounts: FakeAccount[] = [];
  /** WHM's 2FA state per user, root included. */
  twoFactor: Record<string, boolean> = { root: false };
  /** What verify reports when `auditValid` is false. */
  auditProblem = 'record_altered';
  /** The audit routes answer 403 whatever the role (a BFF that refuses support its records). */
  auditRefused = false;
  /** WHM's reseller list: every account that owns another, plus these (resellers owning nothing). */
  extraResellers: string[] = [];
  policyEnabled = true;
  /** Packages whose feature list lacks twofactorauth; null: the BFF could not read WHM's. */
  packagesWithoutTwoFactor: string[] | null = [];
  issuer = 'server.example.com';
  systemIssuer = 'server.example.com';
  servers = [{ id: 'local', label: 'Local WHM', demo: true }];
  /** WHM's reason per user, for removals that WHM refuses. */
  removalFailures: Record<string, string> = {};
  audit: FakeAuditRecord[] = [];
  auditValid = true;
  requireOperatorTotp = false;
  totpGraceDays = 7;
  /** What GET /api/sign-in tells the sign-in page. */
  signInInfo: SignInInfo = { product: 'Two-factor console', demo: null, sso: null };
  /** GET /api/demo, in a hosted demo. */
  hostedDemo = { resetMinutes: 60, nextResetAt: new Date(Date.now() + 23 * 60_000).toISOString() };
  /** The signed-in operator's sessions as GET /api/me/sessions lists them (the first is this one). */
  ownSessions: {
    id: string;
    createdAt: string;
    lastSeenAt: string;
    sourceIp: string | null;
    userAgent: string | null;
    current: boolean;
  }[] = [];
  /** While no operator exists: the token the console printed (`expired`: its 30 minutes passed). */
  setup: { token: string; expired?: boolean } | null = null;
  /** Any WHM call answers 502 upstream_unavailable while true. */
  whmDown = false;
  session: {
    operatorId: number;
    stepUpUntil: string | null;
    expired: boolean;
    pendingTotp: string | null;
  } | null = null;
  requests: RecordedRequest[] = [];
  /** GET /api/mail: how mail goes and how callers are verified before a removal. */
  mail: MailInfo = { mode: 'smtp', callerVerification: 'optional', ticketVerification: false };
  /** GET /api/mail/outbox's messages, newest first. */
  outbox: OutboxMessage[] = [];
  mailSettings: MailSettings = {
    noticeSubject: 'Two-factor authentication was removed from {account}',
    noticeParagraph: '',
    contact: '',
    hostName: '',
    callerVerification: 'optional',
    ticketVerification: false,
  };
  /** GET /api/mail/demo-mailbox (demo mode). */
  demoMailbox: CaughtMessage[] = [];
  /** The code each verification mails (what the caller reads back). */
  mailedCode = '482913';
  /** Accounts without a contact address in WHM: no code can go there. */
  withoutContact = new Set<string>();
  verifications = new Map<
    string,
    { user: string; operatorId: number; tries: number; verified: boolean; used: boolean }
  >();
  /** GET /api/fleet: the last snapshot per server; totals are summed from these. */
  fleetServers: FakeFleetServer[] = [];
  fleetRefreshedAt: string | null = now;
  fleetRefreshing = false;
  /** GET /api/fleet/history per `days`; by default a flat line at 50%. */
  fleetHistory: (days: number) => {
    fleet: { day: string; accounts: number; enrolled: number; coverage: number | null }[];
    servers: Record<string, { day: string; coverage: number | null }[]>;
  } = (days) => ({
    fleet: Array.from({ length: days }, (_, i) => ({
      day: new Date(Date.UTC(2026, 10, 22 - days + 1 + i)).toISOString().slice(0, 10),
      accounts: 100,
      enrolled: 50,
      coverage: 0.5,
    })),
    servers: {},
  });
  /** Every account the fleet search can find; it matches user or domain, case-insensitively. */
  fleetAccounts: FakeFleetMatch[] = [];
  fleetSearchLimit = 50;
  /** The accounts reminder previews choose from (their server's tags come from fleetServers). */
  reminderAccounts: FakeFleetMatch[] = [];
  /** Reminded accounts (`server:user`): a later preview skips them as reminded recently. */
  reminded = new Set<string>();
  /** GET /api/reminders answers 500 while true. */
  remindersFail = false;
  /** GET /api/reminders, newest first. */
  reminderCampaigns: {
    id: number;
    createdAt: string;
    operator: string;
    filter: Record<string, unknown>;
    reminded: number;
    enrolledSince: number;
    skipped: Record<string, number>;
    delivery: { queued: number; sent: number; failed: number; unconfirmed: number };
  }[] = [];
  /** GET /api/managed-servers: the demo's server, then any the console manages. */
  managedServers: FakeManagedServer[] = [
    makeManagedServer('local', {
      label: 'Local WHM',
      url: 'http://127.0.0.1:2087',
      managedBy: 'demo',
    }),
  ];
  /** GET /api/managed-servers answers 500 while true. */
  managedServersFail = false;
  /** False as without CONSOLE_SECRET_KEY_FILE: adding answers 409. */
  canStoreServers = true;
  /** POST /api/managed-servers/test answers by URL; any other URL connects. */
  connectionTests: Record<string, FakeConnectionTest> = {};

  signInAs(username: string, options: { stepUp?: boolean } = {}): void {
    const operator = this.operators.find((o) => o.username === username);
    if (!operator) throw new Error(`no operator ${username}`);
    this.session = {
      operatorId: operator.id,
      stepUpUntil: options.stepUp ? '2999-01-01T00:00:00.000Z' : null,
      expired: false,
      pendingTotp: null,
    };
  }

  expireSession(): void {
    if (this.session) this.session.expired = true;
  }

  /** Requests to one path (and method), for asserting what the SPA sent. */
  calls(method: string, path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  readonly fetch = (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> =>
    Promise.resolve(this.answer(input, init));

  private answer(input: RequestInfo | URL, init: RequestInit): Response {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, 'http://console.test');
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    this.requests.push({ method, path: url.pathname, search: url.searchParams, headers, body });
    try {
      const result = this.route(method, url.pathname, url.searchParams, headers, body);
      if (result === undefined) return new Response(null, { status: 204 });
      if (typeof result === 'string') {
        return new Response(result, { status: 200, headers: { 'Content-Type': 'text/csv' } });
      }
      return json(200, result);
    } catch (error) {
      if (error instanceof HttpError) {
        return json(error.status, {
          code: error.code,
          message: error.message,
          ...(error.field ? { field: error.field } : {}),
          requestId: `req-${this.requests.length}`,
        });
      }
      throw error;
    }
  }

  private operator(): FakeOperator {
    if (!this.session) throw new HttpError(401, 'unauthenticated', 'Sign in first.');
    if (this.session.expired) {
      throw new HttpError(401, 'session_expired', 'Your session has expired. Sign in again.');
    }
    const id = this.session.operatorId;
    const operator = this.operators.find((o) => o.id === id);
    if (!operator) throw new HttpError(401, 'unauthenticated', 'Sign in first.');
    return operator;
  }

  private mustEnroll(operator: FakeOperator): boolean {
    return this.requireOperatorTotp && !operator.totpEnabled;
  }

  private hasStepUp(): boolean {
    const until = this.session?.stepUpUntil;
    return !!until && Date.parse(until) > Date.now();
  }

  private route(
    method: string,
    path: string,
    search: URLSearchParams,
    headers: Headers,
    body: unknown,
  ): unknown {
    const input = (body ?? {}) as Record<string, unknown>;
    if (method !== 'GET' && !/^application\/json\b/.test(headers.get('Content-Type') ?? '')) {
      throw new HttpError(403, 'csrf_required', 'Writes must be sent as application/json.');
    }
    if (path === '/api/session' && method === 'POST') return this.login(input);
    if (path === '/api/sign-in' && method === 'GET') return this.signInInfo;
    if (path === '/api/demo' && method === 'GET' && this.signInInfo.demo?.hosted) {
      return this.hostedDemo;
    }
    if (path.startsWith('/api/') && headers.get('X-CSRF') !== '1') {
      throw new HttpError(403, 'csrf_required', 'The X-CSRF header is missing.');
    }
    if (path === '/api/setup') return this.firstAdmin(method, input);
    if (path === '/api/session' && method === 'GET') {
      const operator = this.operator();
      return {
        operator: publicOperator(operator),
        expiresAt: '2999-01-01T00:00:00.000Z',
        idleExpiresAt: '2999-01-01T00:00:00.000Z',
        stepUpUntil: this.session?.stepUpUntil ?? null,
        mustEnrollTotp: this.mustEnroll(operator),
        totpEnrollBy: this.mustEnroll(operator) ? '2026-11-29T12:00:00.000Z' : null,
      };
    }
    if (path === '/api/session' && method === 'DELETE') {
      this.session = null;
      return undefined;
    }
    const operator = this.operator();
    if (path.startsWith('/api/me/')) return this.me(operator, method, path, input);
    if (this.mustEnroll(operator)) {
      throw new HttpError(403, 'totp_enrollment_required', 'Set up two-factor sign-in first.');
    }
    if (path === '/api/session/step-up' && method === 'POST') {
      const ok = operator.totpEnabled
        ? input.totp === VALID_CODE
        : input.password === operator.password;
      if (!ok) throw new HttpError(401, 'invalid_credentials', 'That did not match.');
      const stepUpUntil = new Date(Date.now() + 5 * 60_000).toISOString();
      if (this.session) this.session.stepUpUntil = stepUpUntil;
      return { stepUpUntil };
    }
    if (path === '/api/servers' && method === 'GET') return { servers: this.servers };
    if (path === '/api/mail' && method === 'GET') return { ...this.mail };
    if (path.startsWith('/api/mail/')) return this.mailRoutes(operator, method, path, input);
    if (path.startsWith('/api/verifications')) return this.verify(operator, method, path, input);
    if (path.startsWith('/api/fleet')) return this.fleet(operator, method, path, search);
    if (path.startsWith('/api/reminders')) return this.reminders(operator, method, path, input);
    if (/^\/api\/servers\/[^/]+\/whm-user$/.test(path) && method === 'GET') {
      return { twoFactor: this.twoFactor.root ? 'on' : 'off' };
    }
    if (/^\/api\/servers\/[^/]+\/two-factor-availability$/.test(path) && method === 'GET') {
      const without = this.packagesWithoutTwoFactor;
      return { featureAware: without !== null, packagesWithoutTwoFactor: without ?? [] };
    }
    const whm = /^\/api\/servers\/([^/]+)\/whm\/([a-z_]+)$/.exec(path);
    if (whm) return this.whm(operator, method, whm[1] ?? '', whm[2] ?? '', search, input);
    if (path.startsWith('/api/managed-servers')) {
      if (operator.role !== 'admin') throw new HttpError(403, 'forbidden', 'Admins only.');
      return this.managed(method, path, input);
    }
    if (
      path.startsWith('/api/audit') ||
      path.startsWith('/api/operators') ||
      path === '/api/settings'
    ) {
      const ownAudit = operator.role === 'support' && path === '/api/audit';
      if (
        (operator.role !== 'admin' && !ownAudit) ||
        (this.auditRefused && path.startsWith('/api/audit'))
      ) {
        throw new HttpError(403, 'forbidden', 'Admins only.');
      }
      return this.admin(operator, method, path, search, input);
    }
    throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
  }

  private fleet(operator: FakeOperator, method: string, path: string, search: URLSearchParams) {
    if (path === '/api/fleet' && method === 'GET') {
      const snapshots = this.fleetServers.flatMap((s) => (s.snapshot ? [s.snapshot] : []));
      const sum = (pick: (s: FakeFleetSnapshot) => number) =>
        snapshots.reduce((total, s) => total + pick(s), 0);
      const enrolled = sum((s) => s.enrolled);
      const eligible = sum((s) => s.accounts - s.withoutFeature);
      return {
        refreshedAt: this.fleetRefreshedAt,
        refreshing: this.fleetRefreshing,
        totals: {
          servers: this.fleetServers.length,
          reachable: snapshots.filter((s) => s.reachable).length,
          accounts: sum((s) => s.accounts),
          enrolled,
          withoutFeature: sum((s) => s.withoutFeature),
          suspended: sum((s) => s.suspended),
          policyOn: snapshots.filter((s) => s.policyEnabled === true).length,
          coverage: eligible > 0 ? enrolled / eligible : null,
        },
        servers: this.fleetServers,
      };
    }
    if (path === '/api/fleet/history' && method === 'GET') {
      const days = Number(search.get('days') ?? 30);
      if (![7, 30, 90].includes(days)) {
        throw new HttpError(400, 'invalid_params', 'days is 7, 30 or 90.', 'days');
      }
      return { days, ...this.fleetHistory(days) };
    }
    if (path === '/api/fleet/search' && method === 'GET') {
      const query = (search.get('q') ?? '').trim();
      if (query.length < 2) {
        throw new HttpError(400, 'invalid_params', 'Type at least 2 characters.', 'q');
      }
      const needle = query.toLowerCase();
      const all = this.fleetAccounts.filter(
        (m) => m.user.toLowerCase().includes(needle) || m.domain.toLowerCase().includes(needle),
      );
      return {
        query,
        matches: all.slice(0, this.fleetSearchLimit),
        truncated: all.length > this.fleetSearchLimit,
      };
    }
    if (path === '/api/fleet/refresh' && method === 'POST') {
      if (operator.role !== 'admin') throw new HttpError(403, 'forbidden', 'Admins only.');
      this.fleetRefreshing = true;
      return { refreshing: true };
    }
    throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
  }

  /** The BFF's checks that the tests need (server-service.ts), not every one of them. */
  private managed(method: string, path: string, input: Record<string, unknown>): unknown {
    const view = ({ token: _token, ...server }: FakeManagedServer) => server;
    if (path === '/api/managed-servers' && method === 'GET') {
      if (this.managedServersFail) {
        throw new HttpError(500, 'internal', 'The servers could not be read.');
      }
      return { servers: this.managedServers.map(view), canStore: this.canStoreServers };
    }
    if (path === '/api/managed-servers/test' && method === 'POST') {
      const url = str(input.url);
      if (!/^https?:\/\/[^/]+\/?$/.test(url)) {
        throw new HttpError(400, 'invalid_params', 'url: must be an http(s) URL', 'url');
      }
      const stored = this.managedServers.find((s) => s.id === input.id);
      if (input.token === undefined && stored && stored.url !== url) {
        throw new HttpError(
          400,
          'invalid_params',
          'The stored token is only sent to its own URL: give the token again to test another.',
          'url',
        );
      }
      if (input.token === undefined && !stored) {
        throw new HttpError(400, 'invalid_params', 'Give the token to test with.', 'token');
      }
      return this.connectionTests[url] ?? { ok: true, ms: 12, policyEnabled: true };
    }
    if (!this.hasStepUp()) throw stepUpRequired();
    if (path === '/api/managed-servers' && method === 'POST') {
      if (!this.canStoreServers) {
        throw new HttpError(409, 'conflict', 'Set CONSOLE_SECRET_KEY_FILE first.');
      }
      const id = str(input.id);
      if (this.managedServers.some((s) => s.id === id)) {
        throw new HttpError(409, 'conflict', `A server ${id} exists.`, 'id');
      }
      if (!/^https?:\/\/[^/]+\/?$/.test(str(input.url))) {
        throw new HttpError(400, 'invalid_params', 'url: must be an http(s) URL', 'url');
      }
      const server = makeManagedServer(id, {
        label: str(input.label),
        url: str(input.url).replace(/\/$/, ''),
        user: str(input.user),
        tags: Array.isArray(input.tags) ? (input.tags as string[]) : [],
        hasCa: typeof input.ca === 'string',
        token: str(input.token),
      });
      this.managedServers.push(server);
      return { server: view(server) };
    }
    const one = /^\/api\/managed-servers\/([^/]+)$/.exec(path);
    const server = this.managedServers.find((s) => s.id === one?.[1]);
    if (!one || !server) throw new HttpError(404, 'not_found', 'No such server.');
    if (server.managedBy !== 'console') {
      throw new HttpError(409, 'conflict', `${server.id} is managed by ${server.managedBy}.`);
    }
    if (method === 'DELETE') {
      this.managedServers = this.managedServers.filter((s) => s !== server);
      return undefined;
    }
    if (method === 'PATCH') {
      if (Object.keys(input).length === 0) {
        throw new HttpError(400, 'invalid_params', 'give something to change', 'body');
      }
      if (typeof input.label === 'string') server.label = input.label;
      if (typeof input.url === 'string') server.url = input.url.replace(/\/$/, '');
      if (typeof input.user === 'string') server.user = input.user;
      if (typeof input.token === 'string') server.token = input.token;
      if (input.ca !== undefined) server.hasCa = input.ca !== null;
      if (Array.isArray(input.tags)) server.tags = input.tags as string[];
      if (typeof input.disabled === 'boolean') server.disabled = input.disabled;
      return { server: view(server) };
    }
    throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
  }

  private login(input: Record<string, unknown>) {
    const operator = this.operators.find((o) => o.username === input.username && !o.disabled);
    if (!operator || operator.password !== input.password) {
      throw new HttpError(401, 'invalid_credentials', 'Wrong username, password or code.');
    }
    if (operator.totpEnabled && input.totp === undefined) {
      throw new HttpError(401, 'totp_required', 'Enter the code from your authenticator app.');
    }
    if (operator.totpEnabled && input.totp !== VALID_CODE) {
      throw new HttpError(401, 'invalid_credentials', 'Wrong username, password or code.');
    }
    this.signInAs(operator.username);
    return { operator: publicOperator(operator) };
  }

  private firstAdmin(method: string, input: Record<string, unknown>) {
    if (!this.setup) throw new HttpError(404, 'not_found', 'No such path.');
    if (method === 'GET') return { open: true };
    if (input.token !== this.setup.token) {
      throw new HttpError(403, 'setup_token_invalid', 'This setup link is not valid.', 'token');
    }
    if (this.setup.expired) {
      throw new HttpError(410, 'setup_token_expired', 'This setup link has expired.', 'token');
    }
    const operator = makeOperator(this.operators.length + 1, str(input.username), 'admin', {
      password: str(input.password),
    });
    this.operators.push(operator);
    this.setup = null;
    this.signInAs(operator.username);
    return { operator: publicOperator(operator) };
  }

  private me(operator: FakeOperator, method: string, path: string, input: Record<string, unknown>) {
    if (path === '/api/me/password' && method === 'POST') {
      if (input.currentPassword !== operator.password) {
        throw new HttpError(401, 'invalid_credentials', 'The current password is wrong.');
      }
      const next = str(input.newPassword);
      if (next.length < 12) {
        throw new HttpError(400, 'invalid_params', 'At least 12 characters.', 'newPassword');
      }
      operator.password = next;
      this.ownSessions = this.ownSessions.filter((s) => s.current);
      return undefined;
    }
    if (path === '/api/me/sessions' && method === 'GET') return { sessions: this.ownSessions };
    if (path === '/api/me/sessions' && method === 'DELETE') {
      const ended = this.ownSessions.filter((s) => !s.current).length;
      this.ownSessions = this.ownSessions.filter((s) => s.current);
      return { ended };
    }
    const ownSession = /^\/api\/me\/sessions\/([^/]+)$/.exec(path);
    if (ownSession && method === 'DELETE') {
      const found = this.ownSessions.find((s) => s.id === ownSession[1] && !s.current);
      if (!found) throw new HttpError(404, 'not_found', 'No such session.');
      this.ownSessions = this.ownSessions.filter((s) => s !== found);
      return undefined;
    }
    if (path === '/api/me/totp/setup' && method === 'POST') {
      if (this.session) this.session.pendingTotp = GENERATED_SECRET;
      return {
        secret: GENERATED_SECRET,
        otpauthUri: `otpauth://totp/Console:${operator.username}?secret=${GENERATED_SECRET}&issuer=Console`,
      };
    }
    if (path === '/api/me/totp/confirm' && method === 'POST') {
      if (!this.session?.pendingTotp) throw new HttpError(400, 'invalid_params', 'Set up first.');
      if (input.code !== VALID_CODE) {
        throw new HttpError(401, 'invalid_credentials', 'That code is not valid.');
      }
      operator.totpEnabled = true;
      this.session.pendingTotp = null;
      return { operator: publicOperator(operator) };
    }
    if (path === '/api/me/totp' && method === 'DELETE') {
      if (input.code !== VALID_CODE) {
        throw new HttpError(401, 'invalid_credentials', 'That code is not valid.');
      }
      operator.totpEnabled = false;
      return undefined;
    }
    throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
  }

  private whm(
    operator: FakeOperator,
    method: string,
    server: string,
    fn: string,
    search: URLSearchParams,
    input: Record<string, unknown>,
  ): unknown {
    if (!this.servers.some((s) => s.id === server)) {
      throw new HttpError(404, 'unknown_server', `No WHM server "${server}".`);
    }
    const reads: Record<string, () => unknown> = {
      listaccts: () => {
        const want = (search.get('want') ?? '').split(',').filter(Boolean);
        const acct = this.accounts.map((account) =>
          want.length === 0
            ? account
            : Object.fromEntries(want.map((k) => [k, account[k as keyof FakeAccount]])),
        );
        return { acct };
      },
      twofactorauth_get_user_configs: () =>
        Object.fromEntries(
          Object.entries(this.twoFactor).map(([user, on]) => [
            user,
            {
              is_enabled: on ? 1 : 0,
              primary_domain:
                this.accounts.find((a) => a.user === user)?.domain ?? 'server.example.com',
            },
          ]),
        ),
      listresellers: () => ({ reseller: [...this.resellers()] }),
      twofactorauth_policy_status: () => ({ is_enabled: this.policyEnabled ? 1 : 0 }),
      twofactorauth_get_issuer: () => ({
        issuer: this.issuer,
        system_wide_issuer: this.systemIssuer,
      }),
    };
    const read = reads[fn];
    if (read) {
      if (method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'Use GET.');
      if (this.whmDown) throw new HttpError(502, 'upstream_unavailable', 'connect ECONNREFUSED');
      return envelope(fn, read());
    }
    if (method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST.');
    if (operator.role === 'viewer') throw new HttpError(403, 'forbidden', 'Viewers are read-only.');
    if (fn === 'twofactorauth_remove_user_config') return this.removeUserConfig(operator, input);
    if (operator.role !== 'admin') throw new HttpError(403, 'forbidden', 'Admins only.');
    if (this.whmDown) throw new HttpError(502, 'upstream_unavailable', 'connect ECONNREFUSED');
    switch (fn) {
      case 'twofactorauth_enable_policy':
        this.policyEnabled = true;
        return envelope(fn, undefined);
      case 'twofactorauth_disable_policy':
        if (!this.hasStepUp()) throw stepUpRequired();
        this.policyEnabled = false;
        return envelope(fn, undefined);
      case 'twofactorauth_set_issuer': {
        const issuer = str(input.issuer);
        this.issuer = issuer === '' ? this.systemIssuer : issuer;
        return envelope(fn, undefined);
      }
      case 'twofactorauth_generate_tfa_config':
        return envelope(fn, {
          secret: GENERATED_SECRET.slice(0, 16),
          otpauth_str: `otpauth://totp/${encodeURIComponent(this.issuer)}:root?secret=${GENERATED_SECRET.slice(0, 16)}&issuer=${encodeURIComponent(this.issuer)}`,
        });
      case 'twofactorauth_set_tfa_config':
        if (this.twoFactor.root && !this.hasStepUp()) throw stepUpRequired();
        if (input.tfa_token !== VALID_CODE) {
          throw new HttpError(422, 'whm_refused', 'The security code is invalid.');
        }
        this.twoFactor.root = true;
        return envelope(fn, { success: 1 });
      default:
        throw new HttpError(404, 'unknown_function', `Unknown function ${fn}.`);
    }
  }

  /** Who a reminder filter picks: 2FA off, able, not suspended, with an address, not reminded. */
  private reminderSelection(input: Record<string, unknown>) {
    const servers = Array.isArray(input.servers) ? (input.servers as string[]) : null;
    const tag = str(input.tag);
    const tagged = new Set(
      this.fleetServers.filter((s) => s.tags.includes(tag)).map((server) => server.id),
    );
    const skipped = { noFeature: 0, suspended: 0, noAddress: 0, remindedRecently: 0 };
    const recipients: FakeFleetMatch[] = [];
    let enrolled = 0;
    for (const a of this.reminderAccounts) {
      if (servers && !servers.includes(a.server)) continue;
      if (tag && !tagged.has(a.server)) continue;
      if (input.owner !== undefined && a.owner !== input.owner) continue;
      if (input.plan !== undefined && a.plan !== input.plan) continue;
      if (a.twoFactor === 'on') enrolled += 1;
      else if (a.twoFactor === 'unavailable') skipped.noFeature += 1;
      else if (a.suspended) skipped.suspended += 1;
      else if (this.withoutContact.has(a.user)) skipped.noAddress += 1;
      else if (this.reminded.has(`${a.server}:${a.user}`)) skipped.remindedRecently += 1;
      else recipients.push(a);
    }
    return { recipients, skipped, enrolled };
  }

  private reminders(
    operator: FakeOperator,
    method: string,
    path: string,
    input: Record<string, unknown>,
  ): unknown {
    if (operator.role !== 'admin') throw new HttpError(403, 'forbidden', 'Admins only.');
    if (path === '/api/reminders' && method === 'GET') {
      if (this.remindersFail) throw new HttpError(500, 'internal', 'The database did not answer.');
      return { campaigns: this.reminderCampaigns };
    }
    if (input.servers !== undefined && input.tag !== undefined) {
      throw new HttpError(400, 'invalid_params', 'tag: give servers or a tag, not both', 'tag');
    }
    const { recipients, skipped, enrolled } = this.reminderSelection(input);
    if (path === '/api/reminders/preview' && method === 'POST') {
      const ids = [...new Set(recipients.map((r) => r.server))];
      return {
        mail: this.mail.mode,
        recipients: recipients.length,
        skipped,
        enrolled,
        servers: ids.map((id) => ({
          id,
          label: id,
          recipients: recipients.filter((r) => r.server === id).length,
        })),
        unread: [],
        remindAgainAfterDays: 7,
        names: recipients
          .slice(0, 50)
          .map(({ server, serverLabel, user, domain, owner, plan }) => ({
            server,
            serverLabel,
            user,
            domain,
            owner,
            plan,
          })),
      };
    }
    if (path === '/api/reminders' && method === 'POST') {
      if (this.mail.mode === 'off') throw new HttpError(409, 'mail_off', 'Mail is not set up.');
      if (recipients.length === 0) throw new HttpError(409, 'conflict', 'Nobody to remind.');
      for (const r of recipients) this.reminded.add(`${r.server}:${r.user}`);
      const campaign = {
        id: this.reminderCampaigns.length + 1,
        createdAt: new Date().toISOString(),
        operator: operator.username,
        filter: input,
        reminded: recipients.length,
        enrolledSince: 0,
        skipped,
        delivery: { queued: recipients.length, sent: 0, failed: 0, unconfirmed: 0 },
      };
      this.reminderCampaigns.unshift(campaign);
      return {
        campaign: campaign.id,
        createdAt: campaign.createdAt,
        recipients: recipients.length,
        skipped,
      };
    }
    throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
  }

  private resellers(): Set<string> {
    const owners = this.accounts.map((a) => a.owner).filter((owner) => owner !== 'root');
    return new Set([...owners, ...this.extraResellers]);
  }

  private mailRoutes(
    operator: FakeOperator,
    method: string,
    path: string,
    input: Record<string, unknown>,
  ): unknown {
    if (path === '/api/mail/demo-mailbox' && method === 'GET') {
      if (this.mail.mode !== 'demo') throw new HttpError(404, 'not_found', 'Not found.');
      return { messages: this.demoMailbox };
    }
    if (operator.role !== 'admin') throw new HttpError(403, 'forbidden', 'Admins only.');
    if (path === '/api/mail/outbox' && method === 'GET') {
      const counts = { queued: 0, sending: 0, sent: 0, failed: 0, unconfirmed: 0 };
      for (const message of this.outbox) counts[message.status] += 1;
      return {
        mode: this.mail.mode,
        from: 'Example <support@example.com>',
        counts,
        messages: this.outbox,
      };
    }
    const retry = /^\/api\/mail\/outbox\/(\d+)\/retry$/.exec(path);
    if (retry && method === 'POST') {
      const message = this.outbox.find((m) => m.id === Number(retry[1]));
      if (!message || !['failed', 'unconfirmed'].includes(message.status)) {
        throw new HttpError(409, 'conflict', 'Only a failed or unconfirmed message.');
      }
      message.status = 'queued';
      message.attempts = 0;
      return { message };
    }
    if (path === '/api/mail/settings' && method === 'GET') return { ...this.mailSettings };
    if (path === '/api/mail/settings' && method === 'PATCH') {
      const next = { ...this.mailSettings, ...input };
      if (!next.noticeSubject.trim()) {
        throw new HttpError(
          400,
          'invalid_params',
          'noticeSubject: must not be empty',
          'noticeSubject',
        );
      }
      const relaxes =
        (this.mailSettings.callerVerification === 'required' &&
          next.callerVerification === 'optional') ||
        (!this.mailSettings.ticketVerification && next.ticketVerification);
      if (relaxes && !this.hasStepUp()) throw stepUpRequired();
      this.mailSettings = next;
      this.mail.callerVerification = next.callerVerification;
      this.mail.ticketVerification = next.ticketVerification;
      return { ...next };
    }
    throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
  }

  private verify(
    operator: FakeOperator,
    method: string,
    path: string,
    input: Record<string, unknown>,
  ): unknown {
    if (operator.role === 'viewer') throw new HttpError(403, 'forbidden', 'Not for viewers.');
    if (path === '/api/verifications' && method === 'POST') {
      const user = str(input.user);
      if (this.mail.mode === 'off') throw new HttpError(409, 'mail_off', 'Mail is not set up.');
      if (this.withoutContact.has(user)) {
        throw new HttpError(409, 'no_contact_email', `${user} has no contact email in WHM.`);
      }
      const id = (this.verifications.size + 1).toString(16).padStart(32, '0');
      this.verifications.set(id, {
        user,
        operatorId: operator.id,
        tries: 0,
        verified: false,
        used: false,
      });
      return {
        id,
        sentTo: `${user.slice(0, 1)}***@example.com`,
        expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      };
    }
    const check = /^\/api\/verifications\/([0-9a-f]{32})\/check$/.exec(path);
    const found = check ? this.verifications.get(check[1] ?? '') : undefined;
    if (!found || found.operatorId !== operator.id || method !== 'POST') {
      throw new HttpError(404, 'not_found', 'No such verification: send a new code.');
    }
    if (found.tries >= 5) throw new HttpError(429, 'too_many_tries', 'Too many wrong codes.');
    if (str(input.code) !== this.mailedCode) {
      found.tries += 1;
      const left = 5 - found.tries;
      if (left === 0) throw new HttpError(429, 'too_many_tries', 'That was the last try.');
      throw new HttpError(400, 'wrong_code', `That is not the code. ${left} tries left.`, 'code');
    }
    found.verified = true;
    return { verified: true, sentTo: `${found.user.slice(0, 1)}***@example.com` };
  }

  private removeUserConfig(operator: FakeOperator, input: Record<string, unknown>) {
    const users = Array.isArray(input.user) ? (input.user as string[]) : [String(input.user)];
    const reason = str(input.reason);
    if (reason.length < 3) throw new HttpError(400, 'invalid_params', 'Give a reason.', 'reason');
    if (operator.role === 'support') {
      const resellers = this.resellers();
      const denied = users.find((user) => user === 'root' || resellers.has(user));
      if (denied) throw new HttpError(403, 'forbidden', `Support may not change ${denied}.`);
    }
    if (!this.hasStepUp()) throw stepUpRequired();
    this.checkVerification(operator, users, input);
    if (this.whmDown) throw new HttpError(502, 'upstream_unavailable', 'connect ECONNREFUSED');
    const results = users.map((user) => {
      const failure = this.removalFailures[user];
      if (failure) return { user, outcome: 'failed' as const, reason: failure };
      const wasOn = this.twoFactor[user] === true;
      this.twoFactor[user] = false;
      return { user, outcome: wasOn ? ('removed' as const) : ('not_enrolled' as const) };
    });
    const failed = Object.fromEntries(
      results.filter((r) => r.outcome === 'failed').map((r) => [r.user, r.reason ?? '']),
    );
    const removed = results.filter((r) => r.outcome === 'removed').map((r) => r.user);
    const withoutAddress = removed.filter((user) => this.withoutContact.has(user));
    return {
      ...envelope('twofactorauth_remove_user_config', {
        users_modified: results.filter((r) => r.outcome !== 'failed').map((r) => r.user),
        failed,
      }),
      results,
      notices:
        this.mail.mode === 'off'
          ? { queued: 0, withoutAddress: [], unavailable: 'mail is off' }
          : { queued: removed.length - withoutAddress.length, withoutAddress },
    };
  }

  /** As the BFF: a checked code backs one removal of its one account, by its operator. */
  private checkVerification(
    operator: FakeOperator,
    users: string[],
    input: Record<string, unknown>,
  ): void {
    const method = input.verification;
    if (method === undefined) {
      if (this.mail.callerVerification === 'required' && operator.role === 'support') {
        throw new HttpError(403, 'verification_required', 'Verify the caller first.');
      }
      return;
    }
    if (method === 'ticket') {
      if (!this.mail.ticketVerification) {
        throw new HttpError(403, 'verification_invalid', 'Tickets are not allowed.');
      }
      return;
    }
    const found = this.verifications.get(str(input.verification_ref));
    if (
      !found ||
      !found.verified ||
      found.used ||
      found.operatorId !== operator.id ||
      users.length !== 1 ||
      users[0] !== found.user
    ) {
      throw new HttpError(403, 'verification_invalid', 'That verification does not cover this.');
    }
    found.used = true;
  }

  private admin(
    self: FakeOperator,
    method: string,
    path: string,
    search: URLSearchParams,
    input: Record<string, unknown>,
  ): unknown {
    if (path === '/api/audit' && method === 'GET') {
      const who = self.role === 'admin' ? search.get('operator') : self.username;
      const kinds = search.get('kind')?.split(',');
      const target = search.get('target')?.toLowerCase();
      const records = this.audit.filter(
        (r) =>
          (!who || r.operator === who) &&
          (!kinds || kinds.includes(r.kind)) &&
          (!search.get('function') || r.function === search.get('function')) &&
          (!search.get('outcome') || r.outcome === search.get('outcome')) &&
          (!target || r.target.some((name) => name.toLowerCase().includes(target))),
      );
      return { records, nextBefore: null };
    }
    if (path === '/api/audit.csv' && method === 'GET') {
      return `id,at,operator\n${this.audit.map((r) => `${r.id},${r.at},${r.operator}`).join('\n')}\n`;
    }
    if (path === '/api/audit/verify' && method === 'GET') {
      return {
        valid: this.auditValid,
        count: this.audit.length,
        firstBrokenId: this.auditValid ? null : (this.audit[0]?.id ?? 1),
        problem: this.auditValid ? null : this.auditProblem,
      };
    }
    if (path === '/api/settings') {
      if (method === 'PUT') {
        const grace = typeof input.totpGraceDays === 'number' ? input.totpGraceDays : undefined;
        const relaxes =
          (this.requireOperatorTotp && input.requireOperatorTotp !== true) ||
          (grace !== undefined && grace > this.totpGraceDays);
        if (relaxes && !this.hasStepUp()) throw stepUpRequired();
        this.requireOperatorTotp = input.requireOperatorTotp === true;
        if (grace !== undefined) this.totpGraceDays = grace;
      }
      return {
        requireOperatorTotp: this.requireOperatorTotp,
        totpGraceDays: this.totpGraceDays,
        totpRequiredSince: this.requireOperatorTotp ? now : null,
      };
    }
    if (path === '/api/operators' && method === 'GET') {
      return { operators: this.operators.map(adminOperator) };
    }
    if (path === '/api/operators' && method === 'POST') {
      if (!this.hasStepUp()) throw stepUpRequired();
      const operator = makeOperator(
        this.operators.length + 1,
        str(input.username),
        input.role as Role,
        { password: str(input.password) },
      );
      this.operators.push(operator);
      return { operator: adminOperator(operator) };
    }
    const one = /^\/api\/operators\/(\d+)(\/sessions|\/totp|\/password)?$/.exec(path);
    const target = this.operators.find((o) => String(o.id) === one?.[1]);
    if (one && target) {
      const guarded =
        (!one[2] &&
          method === 'PATCH' &&
          (input.role !== undefined ||
            input.disabled === false ||
            input.serverTags !== undefined)) ||
        (!one[2] && method === 'DELETE') ||
        one[2] === '/totp' ||
        one[2] === '/password';
      if (guarded && target.id === self.id) {
        throw new HttpError(403, 'forbidden', 'You cannot change your own account here.');
      }
      if (guarded && !this.hasStepUp()) throw stepUpRequired();
      if (!one[2] && method === 'DELETE') {
        this.operators = this.operators.filter((o) => o !== target);
        return undefined;
      }
      if (one[2] === '/password' && method === 'POST') {
        target.password = str(input.password);
        target.activeSessions = 0;
        return undefined;
      }
      if (!one[2] && method === 'PATCH') {
        if (target.id === self.id) {
          throw new HttpError(403, 'forbidden', 'You cannot change your own account here.');
        }
        if (input.role !== undefined) target.role = input.role as Role;
        if (input.disabled !== undefined) target.disabled = input.disabled === true;
        if (input.serverTags !== undefined) {
          const tags = input.serverTags as string[] | null;
          if (tags !== null && tags.length === 0) {
            throw new HttpError(400, 'invalid_params', 'give at least one tag', 'serverTags');
          }
          target.serverTags = tags;
          return { operator: adminOperator(target) };
        }
        target.activeSessions = 0;
        return { operator: adminOperator(target) };
      }
      if (one[2] === '/sessions' && method === 'DELETE') {
        target.activeSessions = 0;
        return undefined;
      }
      if (one[2] === '/totp' && method === 'DELETE') {
        target.totpEnabled = false;
        return undefined;
      }
    }
    throw new HttpError(404, 'not_found', `No route ${method} ${path}`);
  }
}

function stepUpRequired() {
  return new HttpError(401, 'step_up_required', 'Confirm it is you to make this change.');
}

function envelope(command: string, data: unknown) {
  return {
    ...(data === undefined ? {} : { data }),
    metadata: { command, reason: 'OK', result: 1 },
  };
}

function publicOperator(o: FakeOperator) {
  return {
    id: o.id,
    username: o.username,
    role: o.role,
    totpEnabled: o.totpEnabled,
    ...(o.sso ? { sso: true } : {}),
  };
}

function adminOperator(o: FakeOperator) {
  return {
    id: o.id,
    username: o.username,
    role: o.role,
    disabled: o.disabled,
    totpEnabled: o.totpEnabled,
    createdAt: o.createdAt,
    lastLoginAt: o.lastLoginAt,
    activeSessions: o.activeSessions,
    serverTags: o.serverTags ?? null,
  };
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' },
  });
}

/** Replaces `fetch` with a fresh fake BFF for this test. */
export function installFakeBff(setup: (bff: FakeBff) => void = () => {}): FakeBff {
  const bff = new FakeBff();
  setup(bff);
  vi.stubGlobal('fetch', bff.fetch);
  return bff;
}
