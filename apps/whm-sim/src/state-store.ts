import { randomUUID } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { account, type Account } from '@console/whm-api';
import type { SimState } from './state.js';

const secretEntry = z.object({ secret: z.string() });
const limit = z.union([z.number(), z.literal('unlimited')]);
const packagesSchema = z.record(
  z.string(),
  z.object({ FEATURELIST: z.string(), QUOTA: limit, BWLIMIT: limit }),
);
const featureListsSchema = z.record(z.string(), z.record(z.string(), z.string()));

/**
 * State files written before packages had feature lists kept `plans: {NAME: {twofactorauth}}`:
 * read them as packages on `default`, or on a list that turns the feature off.
 */
function withPackages(json: unknown): unknown {
  if (typeof json !== 'object' || json === null || !('plans' in json) || 'packages' in json) {
    return json;
  }
  const { plans, ...rest } = json as { plans: Record<string, { twofactorauth?: boolean }> };
  const packages: Record<string, unknown> = {};
  for (const [name, plan] of Object.entries(plans)) {
    packages[name] = {
      FEATURELIST: plan.twofactorauth ? 'default' : 'no_twofactorauth',
      QUOTA: 'unlimited',
      BWLIMIT: 'unlimited',
    };
  }
  const featureLists = { default: {}, disabled: {}, no_twofactorauth: { twofactorauth: '0' } };
  return { ...rest, packages, featureLists };
}

const stateFileSchema = z.object({
  version: z.literal(1),
  // State files written before accounts had `child_nodes` still load.
  accounts: z.array(account.extend({ child_nodes: account.shape.child_nodes.default([]) })),
  resellers: z.array(z.string()),
  packages: packagesSchema,
  featureLists: featureListsSchema,
  secrets: z.record(
    z.string(),
    z.object({
      secret: z.string().optional(),
      email: z.record(z.string(), secretEntry).optional(),
      team: z.record(z.string(), secretEntry).optional(),
    }),
  ),
  issuers: z.record(z.string(), z.string()),
  policyEnabled: z.boolean(),
  tokens: z.array(
    z.object({ user: z.string(), sha256: z.string(), startup: z.boolean().optional() }),
  ),
});

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * The simulator's state: changed in memory by handlers, then `commit()`ed to one JSON file.
 * Commits are serialized through one queue and coalesced: every commit waiting while a write runs
 * is satisfied by the next single write, which snapshots all changes made so far.
 */
export class StateStore {
  private readonly accountsByUser = new Map<string, Account>();
  private waiting: Deferred | undefined;
  private writing = false;

  private constructor(
    readonly state: SimState,
    private readonly file: string | undefined,
  ) {
    for (const acct of state.accounts) this.accountsByUser.set(acct.user, acct);
  }

  /** Loads `file` when it exists; otherwise starts from `seed()` (and writes it when a file is given). */
  static async open(file: string | undefined, seed: () => SimState): Promise<StateStore> {
    if (file === undefined) return new StateStore(seed(), undefined);
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (text === undefined) {
      const store = new StateStore(seed(), file);
      await store.commit();
      return store;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`state file ${file} is not valid JSON`);
    }
    const parsed = stateFileSchema.safeParse(withPackages(json));
    if (!parsed.success) {
      throw new Error(`state file ${file} is not a simulator state: ${parsed.error.message}`);
    }
    return new StateStore(parsed.data, file);
  }

  account(user: string): Account | undefined {
    return this.accountsByUser.get(user);
  }

  isReseller(user: string): boolean {
    return this.state.resellers.includes(user);
  }

  /** Resolves once a write holding every change made before this call is on disk. */
  commit(): Promise<void> {
    if (this.file === undefined) return Promise.resolve();
    if (this.waiting) return this.waiting.promise;
    const next = deferred();
    this.waiting = next;
    void this.drain(this.file);
    return next.promise;
  }

  /** Resolves when no write is waiting or running. */
  async idle(): Promise<void> {
    while (this.waiting || this.writing) {
      await (this.waiting?.promise ?? new Promise((resolve) => setImmediate(resolve)));
    }
  }

  private async drain(file: string): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    while (this.waiting) {
      const batch = this.waiting;
      this.waiting = undefined;
      try {
        await writeAtomically(file, JSON.stringify(this.state));
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    }
    this.writing = false;
  }
}

/** Temp file in the same directory, fsync, rename: a reader sees the old file or the new one, whole. */
export async function writeAtomically(file: string, text: string): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  // The rename itself is durable only once the directory entry is flushed.
  const dirHandle = await open(dir, 'r').catch(() => undefined);
  if (!dirHandle) return;
  try {
    await dirHandle.sync().catch(() => undefined);
  } finally {
    await dirHandle.close();
  }
}
