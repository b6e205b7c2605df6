import { randomBytes } from 'node:crypto';
import type { APIRequestContext, Page } from '@playwright/test';
import { startSimulator, type Simulator } from '@console/whm-sim';
import {
  apiSignIn,
  createOperator,
  CSRF,
  DEMO_PASSWORD,
  expect,
  expectAccessible,
  test,
} from '../fixtures.js';

const TOKEN = `E2ESERVERS${randomBytes(10).toString('hex').toUpperCase()}`;

/** Whatever a failed test left behind goes: the other specs of this worker expect one server. */
async function removeServer(request: APIRequestContext, id: string): Promise<void> {
  await apiSignIn(request, 'admin');
  await request.post('/api/session/step-up', { headers: CSRF, data: { password: DEMO_PASSWORD } });
  await request.delete(`/api/managed-servers/${id}`, { headers: CSRF });
}

async function confirmItIsYou(page: Page): Promise<void> {
  const stepUp = page.getByRole('dialog', { name: 'Confirm it is you' });
  await stepUp.getByLabel('Password').fill(DEMO_PASSWORD);
  await stepUp.getByRole('button', { name: 'Confirm' }).click();
  await expect(stepUp).toBeHidden();
}

test.describe('the WHM servers screen', () => {
  let whm: Simulator;

  test.beforeAll(async () => {
    whm = await startSimulator({ rootToken: TOKEN, accounts: 4, hostname: 'e2e-web.example.test' });
  });
  test.afterAll(async () => {
    await whm?.close();
  });

  test('when an admin adds a simulated server after testing it, then edits, disables and removes it, each change is stepped up and shows everywhere', async ({
    page,
    playwright,
    stack,
    signIn,
  }) => {
    const cleanup = await playwright.request.newContext({ baseURL: stack.url });
    try {
      await signIn('admin');
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Servers' })
        .click();
      await expect(page.getByRole('heading', { name: 'WHM servers', level: 1 })).toBeVisible();
      const table = page.getByRole('table', { name: 'WHM servers' });
      const demo = table.getByRole('row').filter({ hasText: 'A simulated server of the demo' });
      await expect(demo).toHaveCount(1);
      await expect(demo.getByRole('button', { name: /^Edit / })).toHaveCount(0);
      await expectAccessible(page);

      await page.getByRole('button', { name: 'Add a server' }).click();
      const form = page.getByRole('form', { name: 'Add a server' });
      await form.getByLabel('Label').fill('E2E Web');
      await expect(form.getByLabel('Id')).toHaveValue('e2e-web');
      // Nothing listens there: the failure says so before anything is saved.
      await form.getByLabel('URL').fill('http://127.0.0.1:9');
      await form.getByLabel('API token').fill(TOKEN);
      await form.getByLabel('Tags (optional)').fill('e2e');
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByRole('alert')).toContainText(
        'Failed: Connection refused: nothing answers on that address and port.',
      );
      await form.getByLabel('URL').fill(whm.url);
      await form.getByRole('button', { name: 'Test connection' }).click();
      await expect(form.getByRole('status')).toContainText(
        /Connected in \d+ ms: WHM answers, its 2FA policy is off\./,
      );
      await expectAccessible(page);
      await form.getByRole('button', { name: 'Add server' }).click();
      await confirmItIsYou(page);
      await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
        'E2E Web is added.',
      );
      const row = table.getByRole('row', { name: 'E2E Web' });
      await expect(row).toContainText(whm.url);
      await expect(row).toContainText('console');
      await expect(row).toContainText('e2e');
      await expect(page.getByText(TOKEN)).toHaveCount(0);
      // The server switcher offers it at once.
      await expect(page.getByRole('combobox', { name: 'WHM server' })).toContainText('E2E Web');

      await row.getByRole('button', { name: 'Test connection to E2E Web' }).click();
      await expect(row.getByRole('status')).toContainText(/Connected in \d+ ms/);

      await row.getByRole('button', { name: 'Edit E2E Web' }).click();
      const edit = page.getByRole('form', { name: 'Edit E2E Web' });
      await expect(edit.getByLabel('API token')).toHaveValue('');
      await edit.getByLabel('Label').fill('E2E Web (edited)');
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
        'E2E Web (edited) is saved.',
      );
      const edited = table.getByRole('row', { name: 'E2E Web (edited)' });
      // The token stayed as stored: the renamed server still answers.
      await edited.getByRole('button', { name: 'Test connection to E2E Web (edited)' }).click();
      await expect(edited.getByRole('status')).toContainText(/Connected in \d+ ms/);

      await edited.getByRole('button', { name: 'Disable E2E Web (edited)' }).click();
      await page
        .getByRole('dialog', { name: 'Disable E2E Web (edited)' })
        .getByRole('button', { name: 'Disable E2E Web (edited)' })
        .click();
      await expect(edited.getByRole('button', { name: 'Enable E2E Web (edited)' })).toBeVisible();
      await expect(edited).toContainText('disabled');
      const listed = await page.request.get('/api/servers', { headers: CSRF });
      const ids = ((await listed.json()) as { servers: { id: string }[] }).servers.map((s) => s.id);
      expect(ids).not.toContain('e2e-web');

      await edited.getByRole('button', { name: 'Remove E2E Web (edited)' }).click();
      const confirm = page.getByRole('dialog', { name: 'Remove E2E Web (edited)' });
      await expect(confirm).toContainText(`E2E Web (edited) (${whm.url}) is removed`);
      await confirm.getByRole('button', { name: 'Remove E2E Web (edited)' }).click();
      await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
        'E2E Web (edited) is removed.',
      );
      await expect(edited).toHaveCount(0);
    } finally {
      await removeServer(cleanup, 'e2e-web');
      await cleanup.dispose();
    }
  });

  test('when a support operator opens /servers, then it is not available, not in the navigation, and the BFF refuses the list', async ({
    page,
    stack,
    signIn,
  }) => {
    const operator = await createOperator(stack, 'support', 'servers');
    await signIn(operator.username, operator.password);
    await page.goto('/servers');
    await expect(page.getByRole('heading', { name: 'Not available', level: 1 })).toBeVisible();
    await expect(page.getByText('Managing WHM servers is for admins only.')).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Servers' }),
    ).toHaveCount(0);
    const list = await page.request.get('/api/managed-servers', { headers: CSRF });
    expect(list.status()).toBe(403);
  });
});

test.describe('the WHM servers screen on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('when /servers opens 390 px wide, then nothing scrolls sideways and the form is reached by keyboard', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('admin');
    await page.goto('/servers');
    await expect(page.getByRole('table', { name: 'WHM servers' })).toBeVisible();
    await expect(page.getByText(/^Loading/)).toHaveCount(0);
    const wide = await page.evaluate(() =>
      Array.from(document.querySelectorAll('body *'))
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth)
        .map(
          (el) => `${el.tagName}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`,
        ),
    );
    expect(wide).toEqual([]);
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    await expectAccessible(page);

    const add = page.getByRole('button', { name: 'Add a server' });
    for (let i = 0; i < 60 && !(await add.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    await expect(add).toBeFocused();
    await page.keyboard.press('Enter');
    const form = page.getByRole('form', { name: 'Add a server' });
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(
      true,
    );
    await page.keyboard.press('Tab');
    await expect(form.getByLabel('Label')).toBeFocused();
    expect(
      await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    await page.keyboard.press('Escape');
    await expect(form).toHaveCount(0);
  });
});
