import { renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { AppProvider } from '../../../app/provider';
import { createQueryClient } from '../../../lib/query-client';
import { hosting } from '../components/accounts-fixture';
import { useResellers } from './get-resellers';
import { useTwoFactorAvailability } from './get-two-factor-availability';

describe('reads the accounts view joins', () => {
  it('when the screen renders again with the same answer, then the reseller set is the same object (the 10,000-row join is not redone on each keystroke)', async () => {
    hosting('admin');
    const client = createQueryClient({ queries: { retry: false } });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AppProvider client={client}>{children}</AppProvider>
    );
    const { result, rerender } = renderHook(() => useResellers('local'), { wrapper });
    await waitFor(() => expect(result.current.data).toBeDefined());
    const first = result.current.data;
    expect(first?.has('alice')).toBe(true);
    rerender();
    expect(result.current.data).toBe(first);
  });

  it('when the screen renders again with the same answer, then the set of packages without 2FA is the same object', async () => {
    hosting('admin');
    const client = createQueryClient({ queries: { retry: false } });
    const wrapper = ({ children }: { children: ReactNode }) => (
      <AppProvider client={client}>{children}</AppProvider>
    );
    const { result, rerender } = renderHook(() => useTwoFactorAvailability('local'), { wrapper });
    await waitFor(() => expect(result.current.data).toBeDefined());
    const first = result.current.data;
    rerender();
    expect(result.current.data).toBe(first);
  });
});
