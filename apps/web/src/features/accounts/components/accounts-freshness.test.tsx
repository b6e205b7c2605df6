import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../../testing/test-utils';
import { ACCOUNTS_REFRESH_MS } from '../api/get-accounts';
import { hosting, rowOf } from './accounts-fixture';

function twoFactorOf(user: string): string | null {
  return within(rowOf(user)).getAllByRole('cell').at(-1)?.textContent ?? null;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('accounts freshness', () => {
  it('when Refresh is pressed after a change elsewhere, then the row updates and the time is shown', async () => {
    const bff = hosting('viewer');
    const { user } = renderApp('/accounts');
    await screen.findByTestId('coverage-count');
    expect(screen.getByTestId('as-of')).toHaveTextContent(/^as of \d{2}:\d{2}$/);
    expect(twoFactorOf('dave')).toBe('on');

    bff.twoFactor.dave = false;
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(twoFactorOf('dave')).toBe('off'));
    expect(screen.getByTestId('coverage-count')).toHaveTextContent('2 of 4');
  });

  it('when the tab comes back after a while, then the accounts are fetched again', async () => {
    const bff = hosting('viewer');
    renderApp('/accounts');
    await screen.findByTestId('coverage-count');
    const before = bff.calls('GET', '/api/servers/local/whm/twofactorauth_get_user_configs').length;

    bff.twoFactor.bob = true;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 31_000);
    act(() => {
      window.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(twoFactorOf('bob')).toBe('on'));
    expect(
      bff.calls('GET', '/api/servers/local/whm/twofactorauth_get_user_configs').length,
    ).toBeGreaterThan(before);
  });

  it('when the refresh interval passes, then a change made elsewhere shows without a click', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const bff = hosting('viewer');
    renderApp('/accounts');
    await screen.findByTestId('coverage-count');
    expect(twoFactorOf('carol')).toBe('on');

    bff.twoFactor.carol = false;
    await act(() => vi.advanceTimersByTimeAsync(ACCOUNTS_REFRESH_MS));
    await waitFor(() => expect(twoFactorOf('carol')).toBe('off'));
  });
});
