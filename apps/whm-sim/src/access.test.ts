import { describe, expect, it } from 'vitest';
import { canManage, issuerFor } from './access.js';
import { seedState } from './seed.js';
import { SYSTEM_WIDE_ISSUER } from './state.js';
import { StateStore } from './state-store.js';

async function storeWithSubReseller() {
  const state = seedState(30);
  const [top, sub] = state.resellers;
  const subAccount = state.accounts.find((a) => a.user === sub);
  if (!top || !sub || !subAccount) throw new Error('the seed has too few resellers');
  subAccount.owner = top;
  return { store: await StateStore.open(undefined, () => state), top, sub };
}

describe('issuer fallback', () => {
  it('when a reseller owned by a reseller has no issuer, then it takes its owner’s, then the system-wide one', async () => {
    const { store, top, sub } = await storeWithSubReseller();
    expect(issuerFor(store, sub, 'host.test')).toBe('host.test');
    store.state.issuers[SYSTEM_WIDE_ISSUER] = 'System';
    expect(issuerFor(store, sub, 'host.test')).toBe('System');
    store.state.issuers[top] = 'Top Brand';
    expect(issuerFor(store, sub, 'host.test')).toBe('Top Brand');
    store.state.issuers[sub] = 'Sub Brand';
    expect(issuerFor(store, sub, 'host.test')).toBe('Sub Brand');
    expect(issuerFor(store, 'root', 'host.test')).toBe('System');
  });

  it('when a reseller owns another reseller, then it may manage it but not the other way round', async () => {
    const { store, top, sub } = await storeWithSubReseller();
    expect(canManage(store, { user: top, isRoot: false }, sub)).toBe(true);
    expect(canManage(store, { user: sub, isRoot: false }, top)).toBe(false);
    expect(canManage(store, { user: 'root', isRoot: true }, 'ghost')).toBe(false);
  });
});
