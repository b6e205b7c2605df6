import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';
import { cheapHashingForTests, parseEnv, startConsole, type RunningConsole } from '@console/bff';
import { freePort, startTestOidcProvider, type TestOidcProvider } from '@console/bff/testing/oidc';

interface SsoStack {
  console: RunningConsole;
  provider: TestOidcProvider;
  /** Added to the console's clock (the provider keeps real time). */
  clockOffset: { ms: number };
}

// A console with single sign-on at a real OpenID provider (oidc-provider, its own login form).
const test = base.extend<object, { sso: SsoStack }>({
  sso: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a function destructures
    async ({}, use) => {
      const port = await freePort();
      const callback = `http://127.0.0.1:${port}/api/sso/callback`;
      const provider = await startTestOidcProvider({
        redirectUris: [callback],
        people: { erin: ['it-admins'], frank: ['helpdesk'], gina: ['marketing'] },
      });
      const dataDir = mkdtempSync(join(tmpdir(), 'console-e2e-sso-'));
      const clockOffset = { ms: 0 };
      const running = await startConsole({
        env: parseEnv({
          HOST: '127.0.0.1',
          PORT: String(port),
          DATA_DIR: dataDir,
          WHM_SIM_PORT: '0',
          WHM_SIM_ACCOUNTS: '20',
          WHM_SIM_SERVERS: '1',
          CONSOLE_DEMO_PASSWORD: 'e2e-sso-demo-password',
          LOG_LEVEL: 'warn',
          OIDC_ISSUER: provider.issuer,
          OIDC_CLIENT_ID: provider.clientId,
          OIDC_CLIENT_SECRET: provider.clientSecret,
          OIDC_REDIRECT_URI: callback,
          OIDC_ROLE_MAP: 'it-admins=admin,helpdesk=support',
          OIDC_LABEL: 'Example ID',
        }),
        passwordHashing: cheapHashingForTests,
        simulatorInMemory: true,
        clock: () => Date.now() + clockOffset.ms,
      });
      await use({ console: running, provider, clockOffset });
      await running.close();
      await provider.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  baseURL: async ({ sso }, use) => {
    await use(sso.console.url);
  },
});

/** The provider's own login form: any password signs the person in. */
async function signInAtProvider(page: Page, login: string) {
  await expect(page.locator('input[name="login"]')).toBeVisible();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
}

test.describe('operator single sign-on', () => {
  test('when a helpdesk member signs in with SSO, then they land signed in as support', async ({
    page,
  }) => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Sign in with Example ID' }).click();
    await signInAtProvider(page, 'frank');
    await expect(page).not.toHaveURL(/\/login/);
    await expect(page.getByRole('banner')).toContainText('frank');
    await expect(page.getByRole('banner')).toContainText('support');
  });

  test('when a person in no mapped group signs in, then the sign-in page says why', async ({
    page,
  }) => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Sign in with Example ID' }).click();
    await signInAtProvider(page, 'gina');
    await expect(page).toHaveURL(/\/login\?sso_error=no_role/);
    await expect(page.getByRole('alert')).toContainText('in no group that has access');
  });

  test('when an SSO admin turns the policy off, then the step-up is a new sign-in at the provider', async ({
    page,
    sso,
  }) => {
    await page.goto('/login');
    await page.getByRole('link', { name: 'Sign in with Example ID' }).click();
    await signInAtProvider(page, 'erin');
    await expect(page.getByRole('banner')).toContainText('erin');
    await page.goto('/policy');
    const state = page.getByRole('heading', { name: /^The policy is (on|off)$/ });
    await expect(state).toHaveText('The policy is off');
    await page.getByRole('button', { name: 'Turn policy on' }).click();
    await page
      .getByRole('dialog', { name: 'Turn the 2FA policy on?' })
      .getByRole('button', { name: 'Turn on' })
      .click();
    await expect(state).toHaveText('The policy is on');

    // A fresh sign-in counts as step-up for 5 minutes; six later it does not.
    sso.clockOffset.ms = 6 * 60_000;
    await page.getByRole('button', { name: 'Turn policy off' }).click();
    const dialog = page.getByRole('dialog', { name: 'Turn the 2FA policy off?' });
    await dialog.getByRole('button', { name: 'Turn off' }).click();
    const confirm = dialog.getByRole('link', { name: 'Confirm at Example ID' });
    await expect(confirm).toBeVisible();
    // Back to real time before the provider's sign-in, whose time is real.
    sso.clockOffset.ms = 0;
    await confirm.click();
    await signInAtProvider(page, 'erin');
    await expect(page).toHaveURL(/\/policy$/);
    await page.getByRole('button', { name: 'Turn policy off' }).click();
    await page
      .getByRole('dialog', { name: 'Turn the 2FA policy off?' })
      .getByRole('button', { name: 'Turn off' })
      .click();
    await expect(state).toHaveText('The policy is off');
  });
});
