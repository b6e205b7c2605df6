import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, request, test as base, type Page } from '@playwright/test';
import { cheapHashingForTests, parseEnv, startConsole, type RunningConsole } from '@console/bff';

const PASSWORD = 'e2e-fleet-demo-password';

// Demo mode as `npm start` runs it: a fleet of five simulated servers, read in the background.
const test = base.extend<object, { fleet: RunningConsole }>({
  fleet: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures
    async ({}, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'console-e2e-fleet-'));
      const running = await startConsole({
        env: parseEnv({
          HOST: '127.0.0.1',
          PORT: '0',
          DATA_DIR: dataDir,
          WHM_SIM_PORT: '0',
          WHM_SIM_ACCOUNTS: '40',
          WHM_SIM_SERVERS: '5',
          CONSOLE_DEMO_PASSWORD: PASSWORD,
          LOG_LEVEL: 'warn',
        }),
        passwordHashing: cheapHashingForTests,
        simulatorInMemory: true,
      });
      await running.services.fleetRefresher.refresh();
      await use(running);
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ fleet }, use) => {
    await use(fleet.url);
  },
});

async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

test.describe('the fleet', () => {
  test('when an admin opens the fleet, then every server has a row, the totals and the trend show, and a row opens its server', async ({
    page,
  }) => {
    await signIn(page, 'admin');
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Fleet' })
      .click();
    await expect(page.getByRole('heading', { name: 'Fleet', level: 1 })).toBeVisible();
    const table = page.getByRole('table', { name: 'Servers of the fleet' });
    await expect(table.getByRole('row')).toHaveCount(6);
    await expect(page.getByRole('region', { name: 'Fleet totals' })).toContainText(
      '5 of 5 servers reachable',
    );
    // 90 days made up behind the first reading: the trend has a start and an end.
    await expect(page.getByRole('region', { name: 'Coverage over time' })).toContainText(
      /coverage went from \d+% to \d+% in 30 days/,
    );
    await table.getByRole('link', { name: /web02/ }).click();
    await expect(page).toHaveURL(/\/accounts\?server=web02/);
    await expect(page.getByTestId('coverage-count')).toBeVisible();
  });

  test('when support searches the fleet for a user, then the servers it is on show and a match opens it there', async ({
    page,
    fleet,
  }) => {
    const web03 = fleet.services.upstreams.get('web03')!.server;
    const listed = await fetch(`${web03.url}/json-api/listaccts?api.version=1&want=user`, {
      headers: { authorization: `whm root:${web03.token}` },
    });
    const user = ((await listed.json()) as { data: { acct: { user: string }[] } }).data.acct[3]!
      .user;
    await signIn(page, 'support');
    await page.goto('/fleet');
    await page.getByLabel('Find a user or domain on every server').fill(user);
    const matches = page.getByRole('list', { name: 'Matches' });
    const match = matches.getByRole('link', { name: `${user} is on web03 (simulated)` });
    await expect(match).toBeVisible();
    await match.click();
    await expect(page).toHaveURL(new RegExp(`/accounts\\?server=web03&q=${user}`));
  });

  test('when a support operator is limited to one datacenter, then the fleet shows only its servers', async ({
    page,
    fleet,
  }) => {
    const admin = await page.request.post(`${fleet.url}/api/session`, {
      data: { username: 'admin', password: PASSWORD },
    });
    expect(admin.ok()).toBe(true);
    const headers = { 'x-csrf': '1' };
    await page.request.post(`${fleet.url}/api/session/step-up`, {
      headers,
      data: { password: PASSWORD },
    });
    const tags = fleet.services.whm.servers({ serverTags: null });
    const usEast = tags.filter((s) => s.tags.includes('us-east')).map((s) => s.id);
    const created = await page.request.post(`${fleet.url}/api/operators`, {
      headers,
      data: {
        username: 'us-helpdesk',
        password: 'a long enough password',
        role: 'support',
        serverTags: ['us-east'],
      },
    });
    expect(created.status()).toBe(201);
    await page.request.delete(`${fleet.url}/api/session`, { headers });
    await signIn(page, 'us-helpdesk', 'a long enough password');
    await page.goto('/fleet');
    const table = page.getByRole('table', { name: 'Servers of the fleet' });
    await expect(table.getByRole('row')).toHaveCount(usEast.length + 1);
    for (const id of usEast) await expect(table).toContainText(id);
    await expect(table).not.toContainText('Demo server');
  });

  test('when an admin turns the policy on everywhere and one server is down, then each server reports, the down one failed, and it can be retried', async ({
    page,
    fleet,
  }) => {
    // A server nobody answers for, added in the console by another admin session.
    const api = await request.newContext({ baseURL: fleet.url });
    await api.post('/api/session', { data: { username: 'admin', password: PASSWORD } });
    const headers = { 'x-csrf': '1' };
    await api.post('/api/session/step-up', { headers, data: { password: PASSWORD } });
    const added = await api.post('/api/managed-servers', {
      headers,
      data: {
        id: 'down1',
        label: 'Down server',
        url: 'http://127.0.0.1:9',
        user: 'root',
        token: 'NOBODYANSWERS0123456789',
        tags: ['eu-west'],
      },
    });
    expect(added.status()).toBe(201);
    await api.dispose();
    await fleet.services.fleetRefresher.refresh();

    await signIn(page, 'admin');
    await page.goto('/fleet');
    const change = page.getByRole('form', { name: 'Fleet-wide change' });
    await change.getByLabel('Change').selectOption('enable_policy');
    await change.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect(preview).toContainText('1 not reachable now');
    await preview.getByRole('button', { name: /Apply to 6 servers/ }).click();
    const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
    await stepUp.getByLabel('Password').fill(PASSWORD);
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    const results = page.getByRole('region', { name: 'Results' });
    await expect(results.getByRole('status')).toContainText('1 failed');
    await expect(results.getByRole('list', { name: 'Per-server results' })).toContainText(
      'Down server: failed',
    );
    await expect(results.getByRole('listitem')).toHaveCount(6);
    for (const server of fleet.services.whm.servers({ serverTags: null })) {
      if (server.id === 'down1') continue;
      const upstream = fleet.services.upstreams.get(server.id)!.server;
      const status = await fetch(
        `${upstream.url}/json-api/twofactorauth_policy_status?api.version=1`,
        {
          headers: { authorization: `whm root:${upstream.token}` },
        },
      );
      expect(((await status.json()) as { data: { is_enabled: number } }).data.is_enabled).toBe(1);
    }
    await results.getByRole('button', { name: 'Retry the 1 failed' }).click();
    await expect(results.getByRole('listitem')).toHaveCount(1);
    await expect(results.getByRole('status')).toContainText('0 changed, 0 already so, 1 failed');
  });
});

test.describe('the fleet on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('when /fleet opens 390 px wide, then the page does not scroll sideways; the table scrolls in its own box', async ({
    page,
  }) => {
    await signIn(page, 'admin');
    await page.goto('/fleet');
    const table = page.getByRole('table', { name: /servers/i });
    // The header and the demo's five servers, at least (a test before may have added one).
    await expect(table.getByRole('row').nth(5)).toBeVisible();
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    // Every column is still there, reached by scrolling the table's box, not the page.
    const box = await table.evaluate((el) => {
      const scroller = el.parentElement!;
      return {
        overflowX: getComputedStyle(scroller).overflowX,
        right: scroller.getBoundingClientRect().right,
        scrollable: scroller.scrollWidth > scroller.clientWidth,
      };
    });
    expect(box).toMatchObject({ overflowX: 'auto', scrollable: true });
    expect(box.right).toBeLessThanOrEqual(390);
  });
});
