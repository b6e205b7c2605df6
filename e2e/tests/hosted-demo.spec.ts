import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base } from '@playwright/test';
import { cheapHashingForTests, parseEnv, startConsole, type RunningConsole } from '@console/bff';

// A hosted demo (DEMO_PUBLIC=1) that shows its sign-ins: what a prospect opens from a shared link.
const test = base.extend<object, { hosted: RunningConsole }>({
  hosted: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures
    async ({}, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'console-e2e-hosted-'));
      const running = await startConsole({
        env: parseEnv({
          HOST: '127.0.0.1',
          PORT: '0',
          DATA_DIR: dataDir,
          WHM_SIM_ACCOUNTS: '20',
          LOG_LEVEL: 'warn',
          DEMO_PUBLIC: '1',
          DEMO_SHOW_SIGNINS: '1',
        }),
        passwordHashing: cheapHashingForTests,
      });
      await use(running);
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ hosted }, use) => {
    await use(hosted.url);
  },
});

test.describe('the hosted demo', () => {
  test('when a prospect opens it, signs in with the shown password and the admin resets it, then all of it starts over', async ({
    page,
  }) => {
    await page.goto('/login');
    await expect(page.getByRole('status', { name: 'Hosted demo' })).toContainText(
      'everything anyone changes is reset in',
    );
    const signIns = page.getByRole('region', { name: 'Demo sign-ins' });
    const adminLine = signIns.getByRole('listitem').filter({ hasText: 'admin, an admin' });
    const password = (await adminLine.locator('code').nth(1).textContent()) ?? '';
    expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);

    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).not.toHaveURL(/\/login/);
    const banner = page.getByRole('status', { name: 'Hosted demo' });
    await banner.getByRole('button', { name: 'Reset the demo now' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset the demo now?' });
    await dialog.getByRole('button', { name: 'Reset the demo' }).click();
    const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
    await stepUp.getByLabel('Password').fill(password);
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    // Everyone's session went with the old demo: back at sign-in, the same passwords work.
    await expect(page).toHaveURL(/\/login/);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).not.toHaveURL(/\/login/);
  });
});
