import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test as base, type APIRequestContext, type Page } from '@playwright/test';
import { cheapHashingForTests, parseEnv, startConsole, type RunningConsole } from '@console/bff';
import type { SimulatedAccount, Simulator } from '@console/whm-sim';

export const DEMO_PASSWORD = 'e2e-demo-password';

export type Role = 'admin' | 'support' | 'viewer';

export interface Fixtures {
  /** Signs in through the sign-in form and waits until the console has left /login. */
  signIn: (username: string, password?: string) => Promise<void>;
  /** Signs the page's browser context in through the API (no form): for tests about other screens. */
  signInQuickly: (username: string, password?: string) => Promise<void>;
}

/** The stack's clock: real time plus an offset a test may move forward (and must reset). */
export interface StackClock {
  now: () => number;
  advance: (ms: number) => void;
  reset: () => void;
}

export interface WorkerFixtures {
  stack: RunningConsole;
  clock: StackClock;
}

/**
 * The real stack per worker: the built SPA served by the BFF, the BFF, the simulator it embeds,
 * a fresh database and simulator state. Nothing is mocked. Cheap password hashing only keeps
 * sign-ins fast; the hashing itself is the BFF's own code.
 */
export const test = base.extend<Fixtures, WorkerFixtures>({
  clock: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures
    async ({}, use) => {
      let offset = 0;
      await use({
        now: () => Date.now() + offset,
        advance: (ms) => {
          offset += ms;
        },
        reset: () => {
          offset = 0;
        },
      });
    },
    { scope: 'worker' },
  ],
  stack: [
    async ({ clock }, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'console-e2e-'));
      const env = parseEnv({
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: dataDir,
        WHM_SIM_PORT: '0',
        WHM_SIM_ACCOUNTS: '60',
        // One server: these tests are about one server's screens (the fleet's have their own).
        WHM_SIM_SERVERS: '1',
        CONSOLE_DEMO_PASSWORD: DEMO_PASSWORD,
        LOG_LEVEL: 'warn',
      });
      const running = await startConsole({
        env,
        passwordHashing: cheapHashingForTests,
        simulatorInMemory: true,
        clock: clock.now,
      });
      await use(running);
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ stack }, use) => {
    await use(stack.url);
  },
  signIn: async ({ page }, use) => {
    await use(async (username: string, password = DEMO_PASSWORD) => {
      await page.goto('/login');
      await page.getByLabel('Username').fill(username);
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page).not.toHaveURL(/\/login/);
    });
  },
  signInQuickly: async ({ page }, use) => {
    await use(async (username: string, password = DEMO_PASSWORD) => {
      await apiSignIn(page.request, username, password);
    });
  },
});

export { expect };

/** No serious or critical axe-core violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}

/** The embedded simulator: the fixture always runs the console in demo mode. */
export function simulatorOf(stack: RunningConsole): Simulator {
  const { simulator } = stack;
  if (!simulator) throw new Error('the e2e stack runs without its embedded simulator');
  return simulator;
}

/** An account support may change: not root, not a reseller, not suspended. */
export function isOrdinary(account: SimulatedAccount): boolean {
  return !account.reseller && account.suspended === 0;
}

/**
 * `count` ordinary accounts whose 2FA is `tfa` right now, on packages that have the 2FA feature
 * (the others read "2FA not available on this package", not on or off). Tests in one worker share
 * the simulator, so each asks for what it needs at the moment it needs it; `skip` leaves earlier
 * picks alone.
 */
export function pickAccounts(
  stack: RunningConsole,
  {
    tfa,
    count,
    skip = [],
    withEmail = false,
  }: { tfa: boolean; count: number; skip?: readonly string[]; withEmail?: boolean },
): string[] {
  const picked = simulatorOf(stack)
    .accounts()
    .filter(
      (a) =>
        isOrdinary(a) &&
        a.tfaFeature &&
        a.tfa === tfa &&
        !skip.includes(a.user) &&
        (!withEmail || a.email !== '*unknown*'),
    )
    .map((a) => a.user)
    .slice(0, count);
  if (picked.length < count) {
    throw new Error(`only ${picked.length} ordinary accounts with 2FA ${tfa ? 'on' : 'off'} left`);
  }
  return picked;
}

/** Signs a request context in (the page's own `page.request` shares the browser's cookies). */
export async function apiSignIn(
  request: APIRequestContext,
  username: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  const response = await request.post('/api/session', { data: { username, password } });
  expect(response.status(), await response.text()).toBe(200);
}

/** The headers every /api call but sign-in carries. */
export const CSRF = { 'X-CSRF': '1' } as const;

/** A new operator made straight through the BFF's own service, for tests that change it. */
export async function createOperator(
  stack: RunningConsole,
  role: Role,
  prefix = 'e2e',
): Promise<{ username: string; password: string; id: number }> {
  const username = `${prefix}-${role}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const password = `pw-${username}-long-enough`;
  const operator = await stack.services.operators.create(null, { username, password, role });
  return { username, password, id: Number(operator.id) };
}

/**
 * On /enroll, a new secret for the WHM user: past the step-up first when it already has 2FA
 * (replacing it needs one), as an admin without operator TOTP.
 */
export async function generateWhmUserSecret(page: Page): Promise<void> {
  const replace = page.getByRole('button', { name: 'Replace the secret' });
  const generate = page.getByRole('button', { name: 'Generate secret' });
  await expect(replace.or(generate)).toBeVisible();
  if (await replace.isVisible()) {
    await replace.click();
    const form = page.getByRole('form', { name: 'Confirm it is you' });
    await form.getByLabel('Password').fill(DEMO_PASSWORD);
    await form.getByRole('button', { name: 'Confirm' }).click();
  }
  await generate.click();
}
