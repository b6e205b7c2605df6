import { WhmError, WhmTransportError } from '@console/whm-api';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { auditBase } from '../audit/request-records.js';
import { AppError, errors } from '../errors.js';
import { mayUseServer, requireServer } from '../fleet/server-scope.js';
import { safeText } from '../http/schemas.js';
import type { Logger } from '../logger.js';
import type { Actor, SessionService } from '../sessions/session-service.js';
import { directRead } from '../whm/prepared-calls.js';
import { SERVER_ID_PATTERN, SERVER_TAG_PATTERN, type WhmServerConfig } from '../whm/servers.js';
import { UpstreamFault } from '../whm/upstream-faults.js';
import { createUpstream, type UpstreamOptions, type WhmUpstream } from '../whm/upstream.js';
import type { SecretBox } from './secret-box.js';
import type { ManagedServerRow, ServerStore } from './server-store.js';

const origin = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .refine((value) => {
    const url = new URL(value);
    return url.pathname === '/' && !url.search && !url.username && !url.password && !url.hash;
  }, 'must be an origin such as https://whm.example.com:2087')
  .transform((value) => new URL(value).origin);
const whmUser = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'must be a WHM user name');
const token = z
  .string()
  .regex(/^[A-Za-z0-9]{16,128}$/, 'must be a WHM API token (16 to 128 letters and digits)');
const ca = z
  .string()
  .max(20_000)
  .refine((value) => value.includes('-----BEGIN CERTIFICATE-----'), 'must be a PEM certificate');
const tags = z
  .array(z.string().regex(SERVER_TAG_PATTERN, 'a tag is 1 to 32 of a-z, 0-9, ".", "_", "-"'))
  .max(20);

export const addServerBody = z.strictObject({
  id: z
    .string()
    .regex(
      SERVER_ID_PATTERN,
      'must be 1 to 32 of a-z, 0-9, "_", "-", starting with a letter or digit',
    ),
  label: safeText(100).pipe(z.string().trim().min(1, 'must not be empty')),
  url: origin,
  user: whmUser,
  token,
  ca: ca.optional(),
  tags: tags.default([]),
  disabled: z.boolean().default(false),
});
export const updateServerBody = z
  .strictObject({
    label: safeText(100).pipe(z.string().trim().min(1, 'must not be empty')).optional(),
    url: origin.optional(),
    user: whmUser.optional(),
    token: token.optional(),
    ca: ca.nullable().optional(),
    tags: tags.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, { message: 'give something to change' });
export const testServerBody = z.strictObject({
  /** A stored server's id: its token is used when none is given. */
  id: z.string().regex(SERVER_ID_PATTERN).optional(),
  url: origin,
  user: whmUser,
  token: token.optional(),
  /** `null`: without the stored CA, as the server would be once its CA is removed. */
  ca: ca.nullable().optional(),
});

export type ServerSource = 'console' | 'file' | 'demo';

export interface ServerView {
  id: string;
  label: string;
  url: string;
  user: string;
  tags: readonly string[];
  hasCa: boolean;
  disabled: boolean;
  managedBy: ServerSource;
}

export type ConnectionProblem =
  'dns' | 'refused' | 'network' | 'tls' | 'unauthorized' | 'whm_refused' | 'not_whm' | 'too_slow';

export type ConnectionTest =
  | { ok: true; ms: number; policyEnabled: boolean }
  | { ok: false; ms: number; problem: ConnectionProblem; message: string };

/** What a failed harmless read says about the server, in the words the servers screen shows. */
export function classify(error: unknown): { problem: ConnectionProblem; message: string } {
  if (error instanceof UpstreamFault) {
    if (error.kind === 'timeout')
      return { problem: 'too_slow', message: 'WHM did not answer in time.' };
    if (error.kind === 'tls') {
      return { problem: 'tls', message: `The TLS certificate was not accepted: ${error.message}` };
    }
    if (error.errorCode === 'ENOTFOUND' || error.errorCode === 'EAI_AGAIN') {
      return { problem: 'dns', message: 'The host name does not resolve (DNS).' };
    }
    if (error.errorCode === 'ECONNREFUSED') {
      return { problem: 'refused', message: 'Nothing answers on that address and port.' };
    }
    return { problem: 'network', message: error.message };
  }
  if (error instanceof WhmTransportError) {
    if (error.failure === 'unauthorized' || error.failure === 'forbidden') {
      return { problem: 'unauthorized', message: 'WHM refused the user or token (401/403).' };
    }
    if (error.failure === 'timeout')
      return { problem: 'too_slow', message: 'WHM did not answer in time.' };
    if (error.failure === 'network') return { problem: 'network', message: error.message };
    return { problem: 'not_whm', message: `This does not answer like WHM: ${error.failure}.` };
  }
  if (error instanceof WhmError)
    return { problem: 'whm_refused', message: `WHM refused: ${error.reason}` };
  return { problem: 'network', message: error instanceof Error ? error.message : 'unknown error' };
}

/**
 * WHM servers an admin adds, edits, disables and removes in the console (issue 13.1). Their
 * tokens are sealed (secret-box.ts) and never leave the BFF: no route returns one, no log or
 * audit record holds one. Servers from WHM_SERVERS_FILE / WHM_URL and the demo's stay as they are
 * (read-only here). Every change takes step-up and is audited.
 */
export class ServerService {
  constructor(
    private readonly deps: {
      store: ServerStore;
      box: SecretBox | undefined;
      upstreams: Map<string, WhmUpstream>;
      /** Ids of the servers from the file, the env or the demo, and who manages them. */
      fixed: ReadonlyMap<string, ServerSource>;
      upstreamOptions: UpstreamOptions;
      sessions: SessionService;
      audit: AuditLog;
      logger: Logger;
      clock?: () => number;
    },
  ) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** At start: an upstream for every stored, enabled server. */
  async load(): Promise<void> {
    const rows = await this.deps.store.list();
    for (const row of rows) {
      if (row.disabled) continue;
      if (this.deps.fixed.has(row.id)) {
        this.deps.logger.warn(
          { server: row.id },
          'a stored server has the id of one from the file: skipped',
        );
        continue;
      }
      const config = this.configOf(row);
      if (config)
        this.deps.upstreams.set(row.id, createUpstream(config, this.deps.upstreamOptions));
    }
  }

  private configOf(row: ManagedServerRow): WhmServerConfig | undefined {
    if (!this.deps.box) {
      this.deps.logger.error(
        { server: row.id },
        'stored servers need CONSOLE_SECRET_KEY_FILE: skipped',
      );
      return undefined;
    }
    try {
      return {
        id: row.id,
        label: row.label,
        url: row.url,
        user: row.user,
        token: this.deps.box.open(row.tokenSealed, row.id),
        ca: row.ca ?? undefined,
        demo: false,
        tags: row.tags,
      };
    } catch {
      this.deps.logger.error(
        { server: row.id },
        'a stored token does not open with this CONSOLE_SECRET_KEY_FILE: skipped',
      );
      return undefined;
    }
  }

  /** An admin limited to some tags sees and changes the servers with those tags only. */
  async list(actor: Actor): Promise<{ servers: ServerView[]; canStore: boolean }> {
    const fixed: ServerView[] = [...this.deps.fixed].flatMap(([id, managedBy]) => {
      const server = this.deps.upstreams.get(id)?.server;
      if (!server) return [];
      return [
        {
          id,
          label: server.label,
          url: server.url,
          user: server.user,
          tags: server.tags ?? [],
          hasCa: server.ca !== undefined,
          disabled: false,
          managedBy,
        },
      ];
    });
    const stored = (await this.deps.store.list()).map((row) => this.view(row));
    return {
      servers: [...fixed, ...stored].filter((view) => mayUseServer(actor.operator, view)),
      canStore: this.deps.box !== undefined,
    };
  }

  private requireBox(): SecretBox {
    if (!this.deps.box) {
      throw new AppError(
        'conflict',
        'Set CONSOLE_SECRET_KEY_FILE first: the console stores WHM tokens only encrypted under it.',
      );
    }
    return this.deps.box;
  }

  private requireStepUp(actor: Actor): void {
    if (!this.deps.sessions.hasStepUp(actor)) throw errors.stepUp();
  }

  async add(actor: Actor, input: z.output<typeof addServerBody>): Promise<ServerView> {
    this.requireStepUp(actor);
    requireServer(actor.operator, { tags: input.tags ?? [] });
    const box = this.requireBox();
    if (this.deps.fixed.has(input.id)) {
      throw new AppError('conflict', `A server ${input.id} comes from the servers file.`, {
        field: 'id',
      });
    }
    const now = this.now();
    const row = await this.deps.store.insert({
      id: input.id,
      label: input.label,
      url: input.url,
      user: input.user,
      tokenSealed: box.seal(input.token, input.id),
      ca: input.ca ?? null,
      tags: [...new Set(input.tags)],
      disabled: input.disabled,
      createdAt: now,
      updatedAt: now,
    });
    if (!row) throw new AppError('conflict', `A server ${input.id} exists.`, { field: 'id' });
    this.apply(row);
    await this.record(actor, 'add', row, { tokenChanged: true });
    return this.view(row);
  }

  async update(
    actor: Actor,
    id: string,
    changes: z.output<typeof updateServerBody>,
  ): Promise<ServerView> {
    this.requireStepUp(actor);
    if (this.deps.fixed.has(id)) {
      throw new AppError(
        'conflict',
        `${id} is managed by ${this.deps.fixed.get(id)}: change it there.`,
      );
    }
    const box = this.requireBox();
    const before = await this.deps.store.get(id);
    if (!before) throw new AppError('not_found', 'No such server.');
    requireServer(actor.operator, before);
    // Nor may it move a server out of what it may use, or into tags it may not.
    if (changes.tags !== undefined) requireServer(actor.operator, { tags: changes.tags });
    const row = await this.deps.store.replace({
      ...before,
      ...(changes.label !== undefined ? { label: changes.label } : {}),
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.user !== undefined ? { user: changes.user } : {}),
      ...(changes.token !== undefined ? { tokenSealed: box.seal(changes.token, id) } : {}),
      ...(changes.ca !== undefined ? { ca: changes.ca } : {}),
      ...(changes.tags !== undefined ? { tags: [...new Set(changes.tags)] } : {}),
      ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
      updatedAt: this.now(),
    });
    if (!row) throw new AppError('not_found', 'No such server.');
    this.apply(row);
    await this.record(actor, 'update', row, {
      tokenChanged: changes.token !== undefined,
      before: this.view(before),
    });
    return this.view(row);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.requireStepUp(actor);
    if (this.deps.fixed.has(id)) {
      throw new AppError(
        'conflict',
        `${id} is managed by ${this.deps.fixed.get(id)}: remove it there.`,
      );
    }
    const before = await this.deps.store.get(id);
    if (!before) throw new AppError('not_found', 'No such server.');
    requireServer(actor.operator, before);
    if (!(await this.deps.store.delete(id))) throw new AppError('not_found', 'No such server.');
    this.deps.upstreams.get(id)?.close();
    this.deps.upstreams.delete(id);
    await this.record(actor, 'remove', before, {});
  }

  /** One harmless read (the policy's status) and what failed, if it did; nothing is stored. */
  async test(actor: Actor, input: z.output<typeof testServerBody>): Promise<ConnectionTest> {
    let secret = input.token;
    let ca = input.ca ?? undefined;
    if (secret === undefined && input.id !== undefined) {
      const row = await this.deps.store.get(input.id);
      const stored = row ? this.configOf(row) : this.deps.upstreams.get(input.id)?.server;
      if (stored) requireServer(actor.operator, stored);
      // A CA of the caller's choosing with the stored token: whoever holds that CA's key could
      // read the token on the way, so the admin proves it is them first.
      if (typeof input.ca === 'string') this.requireStepUp(actor);
      // A stored token goes to its own server only: otherwise any admin session could send it to
      // a host of its choosing. Testing another URL takes the token again.
      if (stored && stored.url !== input.url) {
        throw errors.invalidParams(
          'url',
          'The stored token is only sent to its own URL: give the token again to test another.',
        );
      }
      secret = stored?.token;
      // The list never returns a CA, so the screen cannot send it back: a row's test uses its own.
      if (input.ca === undefined) ca = stored?.ca;
    }
    if (secret === undefined) throw errors.invalidParams('token', 'Give the token to test with.');
    const upstream = createUpstream(
      {
        id: 'connection-test',
        label: 'test',
        url: input.url,
        user: input.user,
        token: secret,
        ca,
        demo: false,
      },
      {
        ...this.deps.upstreamOptions,
        timeoutMs: Math.min(this.deps.upstreamOptions.timeoutMs, 10_000),
        maxSockets: 1,
      },
    );
    const began = Date.now();
    try {
      const answer = await directRead(upstream, 'twofactorauth_policy_status', {});
      return { ok: true, ms: Date.now() - began, policyEnabled: Boolean(answer.data.is_enabled) };
    } catch (error) {
      return { ok: false, ms: Date.now() - began, ...classify(error) };
    } finally {
      upstream.close();
    }
  }

  /** The running upstreams follow the stored row at once: the fleet, the screens, the refresher. */
  private apply(row: ManagedServerRow): void {
    this.deps.upstreams.get(row.id)?.close();
    this.deps.upstreams.delete(row.id);
    if (row.disabled) return;
    const config = this.configOf(row);
    if (config) this.deps.upstreams.set(row.id, createUpstream(config, this.deps.upstreamOptions));
  }

  private view(row: ManagedServerRow): ServerView {
    return {
      id: row.id,
      label: row.label,
      url: row.url,
      user: row.user,
      tags: row.tags,
      hasCa: row.ca !== null,
      disabled: row.disabled,
      managedBy: 'console',
    };
  }

  private async record(
    actor: Actor,
    action: 'add' | 'update' | 'remove',
    row: ManagedServerRow,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.append({
      ...auditBase(actor, row.id, `servers:${action}`),
      kind: 'operator',
      target: [row.id],
      outcome: 'success',
      detail: { action: `server_${action}`, server: this.view(row), ...detail },
    });
  }
}
