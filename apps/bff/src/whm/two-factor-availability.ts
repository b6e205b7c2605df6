import { featureAvailable } from '@console/whm-api';
import type { DirectRead } from './ordinary-targets.js';
import type { WhmUpstream } from './upstream.js';

export const TWO_FACTOR_FEATURE = 'twofactorauth';

/** Which packages let their accounts turn 2FA on, as the accounts view needs it. */
export type TwoFactorAvailability =
  | { featureAware: true; packagesWithoutTwoFactor: string[] }
  /** WHM's packages or feature lists could not be read: coverage is then not feature-aware. */
  | { featureAware: false; packagesWithoutTwoFactor: [] };

/** About the accounts list's own refresh: a package change shows within a minute. */
export const AVAILABILITY_TTL_MS = 60_000;
/** A failed read is retried sooner, so a WHM that comes back is feature-aware again quickly. */
export const AVAILABILITY_FAILURE_TTL_MS = 5_000;
/** Feature lists read at once: a server may have hundreds (one per reseller package). */
const LISTS_AT_ONCE = 4;

/**
 * listpkgs, then get_featurelist_data once per distinct FEATURELIST. A package lacks 2FA when its
 * list (or the `disabled` list, which overrides every list) turns `twofactorauth` off. Any failure,
 * one list included, makes the whole answer unknown: a partial answer would miscount.
 */
export async function readTwoFactorAvailability(
  upstream: WhmUpstream,
  directRead: DirectRead,
): Promise<TwoFactorAvailability> {
  const { data } = await directRead(upstream, 'listpkgs', {});
  const lists = [...new Set(data.pkg.map((pkg) => pkg.FEATURELIST || 'default'))];
  const offLists = new Set<string>();
  for (let start = 0; start < lists.length; start += LISTS_AT_ONCE) {
    await Promise.all(
      lists.slice(start, start + LISTS_AT_ONCE).map(async (featurelist) => {
        const answer = await directRead(upstream, 'get_featurelist_data', { featurelist });
        const row = answer.data.features.find((feature) => feature.id === TWO_FACTOR_FEATURE);
        if (!featureAvailable(row)) offLists.add(featurelist);
      }),
    );
  }
  const packagesWithoutTwoFactor = data.pkg
    .filter((pkg) => offLists.has(pkg.FEATURELIST || 'default'))
    .map((pkg) => pkg.name)
    .sort();
  return { featureAware: true, packagesWithoutTwoFactor };
}

/**
 * One read per server per TTL, shared by every operator (the answer depends on the server alone);
 * callers that arrive while it runs wait for the same read. Never rejects: fails soft.
 */
export class TwoFactorAvailabilityCache {
  private readonly entries = new Map<
    string,
    { answer: Promise<TwoFactorAvailability>; until: number }
  >();

  constructor(
    private readonly read: (upstream: WhmUpstream) => Promise<TwoFactorAvailability>,
    private readonly now: () => number = Date.now,
  ) {}

  get(upstream: WhmUpstream): Promise<TwoFactorAvailability> {
    const key = upstream.server.id;
    const cached = this.entries.get(key);
    if (cached && cached.until > this.now()) return cached.answer;
    const entry = { answer: Promise.resolve<TwoFactorAvailability>(unknown()), until: Infinity };
    entry.answer = this.read(upstream).then(
      (answer) => {
        entry.until = this.now() + AVAILABILITY_TTL_MS;
        return answer;
      },
      () => {
        entry.until = this.now() + AVAILABILITY_FAILURE_TTL_MS;
        return unknown();
      },
    );
    this.entries.set(key, entry);
    return entry.answer;
  }
}

function unknown(): TwoFactorAvailability {
  return { featureAware: false, packagesWithoutTwoFactor: [] };
}
