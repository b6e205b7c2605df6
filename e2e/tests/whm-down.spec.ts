import { expect, simulatorOf, test } from '../fixtures.js';

test.describe('WHM unreachable', () => {
  test('when WHM resets every connection, then accounts shows the unreachable banner and a retry that works once WHM is back', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const simulator = simulatorOf(stack);
    await signInQuickly('viewer');
    simulator.faults.set({ mode: 'reset' });
    try {
      await page.goto('/accounts');
      const banner = page.getByRole('alert').filter({
        hasText:
          'WHM server “Demo server (simulator)” unreachable: the console cannot reach it right now.',
      });
      await expect(banner).toBeVisible({ timeout: 20_000 });
      // At the first failed attempt, while the SPA still retries (1 s, then 2 s later), the screen
      // still loading: not only once the retries gave up and the screen shows its error.
      expect(await page.getByRole('main').getByRole('alert').count()).toBe(0);
      await expect(banner).toContainText('No data from it can be shown until it answers.');
      await expect(banner).not.toContainText('Data shown');
      await expect(page.getByTestId('server-label')).toContainText('Demo server (simulator)');
      const panel = page.getByRole('main').getByRole('alert');
      await expect(panel).toContainText('WHM server unreachable', { timeout: 20_000 });
      await expect(panel.getByRole('button', { name: 'Retry' })).toBeVisible();
    } finally {
      simulator.faults.clear();
    }

    await page.getByRole('main').getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('heading', { name: 'Accounts', level: 1 })).toBeVisible();
    await expect(page.getByTestId('coverage-count')).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'cannot reach it' })).toHaveCount(0);
  });

  test('when WHM answers garbage on the policy screen, then the BFF message and a retry are shown', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const simulator = simulatorOf(stack);
    await signInQuickly('admin');
    simulator.faults.set({ mode: 'html', fn: 'twofactorauth_policy_status' });
    try {
      await page.goto('/policy');
      const panel = page.getByRole('main').getByRole('alert');
      await expect(panel).toContainText('WHM server unreachable', { timeout: 20_000 });
      await expect(panel).toContainText('Request ID:');
    } finally {
      simulator.faults.clear();
    }
    await page.getByRole('main').getByRole('button', { name: 'Retry' }).click();
    await expect(page.getByRole('heading', { name: /^The policy is (on|off)$/ })).toBeVisible();
  });
});
