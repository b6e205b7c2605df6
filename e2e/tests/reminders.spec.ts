import type { Page } from '@playwright/test';
import { expect, expectAccessible, simulatorOf, test } from '../fixtures.js';

interface CaughtMessage {
  to: string[];
  subject: string;
  text: string;
}

/** How far the page itself scrolls sideways. */
function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

/** The reminders the demo mailbox caught, as the Mailbox screen reads them. */
async function caughtReminders(page: Page): Promise<CaughtMessage[]> {
  const answer = await page.request.get('/api/mail/demo-mailbox', { headers: { 'X-CSRF': '1' } });
  expect(answer.status()).toBe(200);
  const { messages } = (await answer.json()) as { messages: CaughtMessage[] };
  return messages.filter((m) => m.subject.startsWith('Protect '));
}

test.describe('enrollment reminders', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('when an admin previews a plan’s accounts without 2FA and sends, then each holder’s reminder arrives in the demo mailbox and the campaign counts them, 390 px wide without sideways scroll and passes axe', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const plan = 'business';
    const expected = simulatorOf(stack)
      .accounts()
      .filter(
        (a) =>
          a.user !== 'root' &&
          !a.reseller &&
          !a.tfa &&
          a.tfaFeature &&
          a.suspended === 0 &&
          a.email !== '*unknown*' &&
          a.plan === plan,
      );
    expect(expected.length).toBeGreaterThan(0);
    const n = expected.length;
    const reminders = `${n} ${n === 1 ? 'reminder' : 'reminders'}`;

    await signInQuickly('admin');
    await page.goto('/reminders');
    await expect(page.getByRole('heading', { level: 1, name: 'Reminders' })).toBeVisible();
    await expect(page.getByText('No reminders have been sent yet.')).toBeVisible();
    await page.getByRole('textbox', { name: 'Plan (optional)' }).fill(plan);
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('reminder-count')).toHaveText(
      `${n} ${n === 1 ? 'account' : 'accounts'} would get a reminder.`,
    );
    const listed = page.getByRole('list', { name: 'Accounts to remind' }).getByRole('listitem');
    await expect(listed).toHaveCount(Math.min(n, 50));
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page);

    await page.getByRole('button', { name: `Send ${reminders}` }).click();
    const dialog = page.getByRole('dialog', { name: `Send ${reminders}` });
    await dialog.getByRole('button', { name: `Send ${reminders}` }).click();
    await expect(
      page
        .getByRole('list', { name: 'Campaigns' })
        .getByText(new RegExp(`^${n} reminded on \\d{1,2} [A-Z][a-z]{2}, 0 enrolled since$`)),
    ).toBeVisible();
    expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);

    // The holders' side: each address gets one reminder with the cPanel how-to.
    await expect
      .poll(async () => (await caughtReminders(page)).length, { timeout: 20_000 })
      .toBe(n);
    const received = await caughtReminders(page);
    expect(received.map((m) => m.to[0]).sort()).toEqual(expected.map((a) => a.email).sort());
    for (const message of received) {
      expect(message.text).toContain('Security › Two-Factor Authentication');
    }

    // A second preview of the same plan: everyone was reminded recently.
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByText('Nobody to remind with this filter.')).toBeVisible();
    await expect(page.getByText(new RegExp(`${n} reminded recently`))).toBeVisible();
  });

  test('when support opens the reminders screen, then it is refused', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('support');
    await page.goto('/reminders');
    await expect(page.getByText(/Enrollment reminders/)).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reminders' }),
    ).toHaveCount(0);
  });
});
