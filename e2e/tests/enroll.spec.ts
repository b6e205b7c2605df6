import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TOTP, URI } from 'otpauth';
import { expect, generateWhmUserSecret, simulatorOf, test } from '../fixtures.js';
import { atLeastLeftInPeriod, totpOf, wrongCode } from '../totp.js';

const run = promisify(execFile);

test.describe('enrollment wizard', () => {
  test('when an admin enrolls the WHM user with a code computed from the shown secret, then a wrong code is refused and the right one turns 2FA on', async ({
    page,
    stack,
    signInQuickly,
  }, testInfo) => {
    await signInQuickly('admin');
    await page.goto('/enroll');
    await expect(page.getByRole('heading', { name: 'Enroll the WHM user' })).toBeVisible();
    expect(simulatorOf(stack).secretOf('root')).toBeUndefined();
    await expect(page.getByTestId('whm-user-two-factor')).toHaveText(
      'The WHM user does not have two-factor authentication yet.',
    );
    await page.getByRole('button', { name: 'Generate secret' }).click();

    const shown = page.getByLabel('Secret key');
    await expect(shown).toHaveText(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
    const grouped = (await shown.textContent()) ?? '';
    const secret = grouped.replace(/\s/g, '');
    await expect(
      page.getByRole('progressbar', { name: 'Time left for the current code' }),
    ).toBeVisible();
    const codeField = page.getByRole('textbox', { name: '6-digit code from the app' });
    await expect(codeField).toHaveAttribute('autocomplete', 'one-time-code');
    await expect(codeField).toHaveAttribute('inputmode', 'numeric');

    // The QR code, read back by a real decoder from what the browser drew.
    const qr = page.getByRole('img', { name: /^QR code for / });
    const file = testInfo.outputPath('qr.png');
    await qr.screenshot({ path: file });
    const { stdout } = await run('/usr/bin/zbarimg', ['--raw', '-q', file]);
    const uri = stdout.trim();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const parsed = URI.parse(uri);
    expect(parsed).toBeInstanceOf(TOTP);
    expect((parsed as TOTP).secret.base32).toBe(secret);

    const totp = totpOf(secret);
    await codeField.fill(wrongCode(totp));
    const fieldBefore = await codeField.boundingBox();
    const verifyBefore = await page
      .getByRole('button', { name: 'Verify and turn on' })
      .boundingBox();
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    const error = page.getByRole('form', { name: 'Verify code' }).getByRole('alert');
    await expect(error).toContainText('That code was not accepted');
    await expect(error).toContainText('clock');
    await expect(shown).toHaveText(grouped);
    // The refused code is cleared and focused for the next one, and nothing moved.
    await expect(codeField).toHaveValue('');
    await expect(codeField).toBeFocused();
    expect(await codeField.boundingBox()).toEqual(fieldBefore);
    expect(await page.getByRole('button', { name: 'Verify and turn on' }).boundingBox()).toEqual(
      verifyBefore,
    );
    expect(simulatorOf(stack).secretOf('root')).toBeUndefined();

    await atLeastLeftInPeriod(3);
    await codeField.fill(totp.generate());
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: 'Two-factor authentication is on for the WHM user.' }),
    ).toBeVisible();
    expect(simulatorOf(stack).secretOf('root')).toBe(secret);

    const stored = await page.evaluate(
      () =>
        `${window.location.href} ${JSON.stringify(localStorage)} ${JSON.stringify(sessionStorage)}`,
    );
    expect(stored).not.toContain(secret);
  });

  test('when the admin leaves the wizard and comes back, then the secret is gone', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('admin');
    await page.goto('/enroll');
    await generateWhmUserSecret(page);
    await expect(page.getByLabel('Secret key')).toBeVisible();

    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Policy' }).click();
    await expect(page.getByRole('heading', { name: 'Two-factor policy' })).toBeVisible();
    await nav.getByRole('link', { name: 'Enroll' }).click();

    await expect(
      page
        .getByRole('button', { name: 'Generate secret' })
        .or(page.getByRole('button', { name: 'Replace the secret' })),
    ).toBeVisible();
    await expect(page.getByLabel('Secret key')).toHaveCount(0);
  });

  test('when the WHM user already has 2FA, then the screen says so, warns that the old entry stops working, and replacing needs a step-up', async ({
    page,
    stack,
    signInQuickly,
  }) => {
    const simulator = simulatorOf(stack);
    await signInQuickly('admin');
    if (simulator.secretOf('root') === undefined) {
      const generated = await page.request.post(
        '/api/servers/local/whm/twofactorauth_generate_tfa_config',
        { headers: { 'X-CSRF': '1' }, data: {} },
      );
      const first = ((await generated.json()) as { data: { secret: string } }).data.secret;
      await atLeastLeftInPeriod(3);
      const set = await page.request.post('/api/servers/local/whm/twofactorauth_set_tfa_config', {
        headers: { 'X-CSRF': '1' },
        data: { secret: first, tfa_token: totpOf(first).generate() },
      });
      expect(set.status()).toBe(200);
    }
    const old = simulator.secretOf('root');
    await page.goto('/enroll');
    await expect(page.getByTestId('whm-user-two-factor')).toHaveText(
      'The WHM user has two-factor authentication on.',
    );
    await expect(
      page.getByText(/the authenticator app that has the old one stops working/),
    ).toBeVisible();
    await expect(page.getByRole('button', { name: 'Generate secret' })).toHaveCount(0);

    await generateWhmUserSecret(page);
    const secret = ((await page.getByLabel('Secret key').textContent()) ?? '').replace(/\s/g, '');
    await atLeastLeftInPeriod(3);
    await page
      .getByRole('textbox', { name: '6-digit code from the app' })
      .fill(totpOf(secret).generate());
    await page.getByRole('button', { name: 'Verify and turn on' }).click();
    await expect(
      page
        .getByRole('status')
        .filter({ hasText: 'Two-factor authentication is on for the WHM user.' }),
    ).toBeVisible();
    expect(simulator.secretOf('root')).toBe(secret);
    expect(secret).not.toBe(old);
  });
});
