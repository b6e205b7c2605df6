import { DEMO_PASSWORD, expect, test } from '../fixtures.js';

const HOSTNAME = 'whm.example.test';

test.describe('policy', () => {
  test('when an admin turns the policy on and off, then each change is confirmed and turning it off asks for a step-up', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('admin');
    await page.goto('/policy');
    const state = page.getByRole('heading', { name: /^The policy is (on|off)$/ });
    await expect(state).toHaveText('The policy is off');
    await expect(
      page.getByText('Nobody is asked for a code when signing in.').first(),
    ).toBeVisible();

    await page.getByRole('button', { name: 'Turn policy on' }).click();
    const enable = page.getByRole('dialog', { name: 'Turn the 2FA policy on?' });
    await expect(enable).toContainText('must enter a code from their authenticator app');
    await enable.getByRole('button', { name: 'Cancel' }).click();
    await expect(enable).toBeHidden();
    await expect(state).toHaveText('The policy is off');

    await page.getByRole('button', { name: 'Turn policy on' }).click();
    await enable.getByRole('button', { name: 'Turn on' }).click();
    await expect(enable).toBeHidden();
    await expect(state).toHaveText('The policy is on');
    await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
      'The 2FA policy is on.',
    );

    await page.getByRole('button', { name: 'Turn policy off' }).click();
    const disable = page.getByRole('dialog', { name: 'Turn the 2FA policy off?' });
    await expect(disable).toContainText('Every account keeps its 2FA secret');
    await disable.getByRole('button', { name: 'Turn off' }).click();
    const stepUp = disable.getByRole('form', { name: 'Confirm it is you' });
    await stepUp.getByLabel('Password').fill(DEMO_PASSWORD);
    await stepUp.getByRole('button', { name: 'Confirm' }).click();
    await expect(disable).toBeHidden();
    await expect(state).toHaveText('The policy is off');
  });
});

test.describe('issuer', () => {
  test('when an admin types an issuer WHM would refuse, then it says why and saving stays disabled', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('admin');
    await page.goto('/issuer');
    const input = page.getByRole('textbox', { name: 'New issuer' });
    const save = page.getByRole('button', { name: 'Save' });
    const form = page.getByRole('form', { name: 'Change the issuer' });

    await input.fill('Acme!Hosting');
    await expect(form.getByRole('alert')).toHaveText(
      'Only letters, digits, spaces, ".", "_" and "-" are allowed (not !).',
    );
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(save).toBeDisabled();

    await input.fill('x'.repeat(33));
    await expect(form.getByRole('alert')).toHaveText('At most 32 characters: this one has 33.');
    await expect(save).toBeDisabled();

    await input.fill('y'.repeat(32));
    await expect(form.getByRole('alert')).toHaveCount(0);
    await expect(save).toBeEnabled();
  });

  test('when an admin saves a valid issuer, then the preview shows it and it becomes the current issuer', async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('admin');
    await page.goto('/issuer');
    const input = page.getByRole('textbox', { name: 'New issuer' });

    await input.fill('Acme Hosting_2FA-1.0');
    await expect(page.getByTestId('issuer-preview')).toContainText('Acme Hosting_2FA-1.0 (root)');
    await page.getByRole('button', { name: 'Save' }).click();

    await expect(page.getByRole('status', { name: 'Notifications' })).toContainText(
      'Issuer set to Acme Hosting_2FA-1.0.',
    );
    await expect(page.getByTestId('issuer-current')).toHaveText('Acme Hosting_2FA-1.0');
    await page.reload();
    await expect(page.getByTestId('issuer-current')).toHaveText('Acme Hosting_2FA-1.0');
  });

  test("when a custom issuer is emptied, then the preview and the reset name the server's default, not the custom issuer", async ({
    page,
    signInQuickly,
  }) => {
    await signInQuickly('admin');
    await page.goto('/issuer');
    const input = page.getByRole('textbox', { name: 'New issuer' });
    await input.fill('Custom Issuer');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('issuer-current')).toHaveText('Custom Issuer');

    // WHM resets root's issuer (the system-wide one) to the hostname.
    await input.fill('');
    await page.getByRole('button', { name: 'Reset to default' }).click();
    await expect(page.getByTestId('issuer-current')).toHaveText(HOSTNAME);
    await input.fill('');
    await expect(page.getByTestId('issuer-preview')).toContainText(`${HOSTNAME} (root)`);

    await input.fill('Custom Issuer');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('issuer-current')).toHaveText('Custom Issuer');
    await input.fill('');
    await expect(page.getByTestId('issuer-preview')).toContainText(`${HOSTNAME} (root)`);
  });
});
