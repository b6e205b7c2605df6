import type { Page } from '@playwright/test';
import { expect, expectAccessible, test } from '../fixtures.js';

/** How far the page itself scrolls sideways (scrollable regions inside it do not count). */
function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

test.describe('dark mode', () => {
  test.use({ colorScheme: 'dark' });

  for (const path of ['/accounts', '/policy', '/operators']) {
    test(`when the system is dark and ${path} opens, then axe finds no serious or critical violation`, async ({
      page,
      signInQuickly,
    }) => {
      await signInQuickly('admin');
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByText(/^Loading/)).toHaveCount(0);
      await expectAccessible(page);
    });
  }

  test('when the system is dark and sign-in shows an error, then axe finds no serious or critical violation', async ({
    page,
  }) => {
    await page.goto('/login');
    await page.getByLabel('Username').fill('viewer');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe('360 px wide', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  for (const path of ['/accounts', '/policy', '/issuer', '/me', '/mailbox']) {
    test(`when ${path} opens on a 360 px screen, then the page does not scroll sideways`, async ({
      page,
      signInQuickly,
    }) => {
      await signInQuickly('support');
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByText(/^Loading/)).toHaveCount(0);
      expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    });
  }
});
