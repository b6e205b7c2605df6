import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { paths } from '../../config/paths';
import { installFakeBff, makeAccount } from '../../testing/fake-bff';
import { renderApp } from '../../testing/test-utils';

const PRODUCT = 'Two-factor console';

describe('page titles', () => {
  // Outside the shell: sign-in and the first-admin setup (tested below).
  const signedIn = Object.values(paths).filter(
    (path) => path !== paths.login && path !== paths.setup,
  );

  for (const path of [...signedIn, '/no-such-page']) {
    it(`when ${path} opens, then the tab says its heading and the product's one name`, async () => {
      installFakeBff((bff) => {
        bff.accounts = [makeAccount('alice')];
        bff.signInAs('admin');
      });
      renderApp(path);
      const heading = await screen.findByRole('heading', { level: 1 });
      await expect.poll(() => document.title).toBe(`${heading.textContent} · ${PRODUCT}`);
      expect(screen.getByText(PRODUCT, { selector: '.brand' })).toBeInTheDocument();
    });
  }

  it('when signed out, then the sign-in page names itself', async () => {
    installFakeBff();
    renderApp(paths.login);
    await screen.findByRole('heading', { name: 'Sign in' });
    await expect.poll(() => document.title).toBe(`Sign in · ${PRODUCT}`);
  });

  it('when the setup link is opened, or setup is closed, then the tab says the heading', async () => {
    installFakeBff((bff) => {
      bff.operators = [];
      bff.setup = { token: 'printed' };
    });
    const first = renderApp(`${paths.setup}#token=printed`);
    await screen.findByRole('heading', { name: 'Create the first admin', level: 1 });
    await expect.poll(() => document.title).toBe(`Create the first admin · ${PRODUCT}`);
    first.unmount();

    installFakeBff();
    renderApp(paths.setup);
    await screen.findByRole('heading', { name: 'Setup is closed', level: 1 });
    await expect.poll(() => document.title).toBe(`Setup is closed · ${PRODUCT}`);
  });
});
