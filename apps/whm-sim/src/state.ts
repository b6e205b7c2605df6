import type { Account } from '@console/whm-api';

/** One account's 2FA data as WHM keeps it: the primary secret plus email and team sub-accounts. */
export interface TfaEntry {
  secret?: string;
  email?: Record<string, { secret: string }>;
  team?: Record<string, { secret: string }>;
}

/** A package (`/var/cpanel/packages/NAME`): the keys that matter here, as WHM spells them. */
export interface SimPackage {
  FEATURELIST: string;
  QUOTA: number | 'unlimited';
  BWLIMIT: number | 'unlimited';
}

/** A feature list's explicit entries (`/var/cpanel/features/NAME`): `1` on, anything else off. */
export type FeatureList = Record<string, string>;

/** Everything the simulator remembers, as it sits in the one JSON state file. */
export interface SimState {
  version: 1;
  accounts: Account[];
  resellers: string[];
  /** By package name; an account's `plan` names its package. */
  packages: Record<string, SimPackage>;
  /** By feature list name, `default` and `disabled` included. */
  featureLists: Record<string, FeatureList>;
  /** `{USER: {secret}}`, as WHM's own tfa user data file. */
  secrets: Record<string, TfaEntry>;
  /** `{system_wide_issuer?, RESELLER: issuer}`, as WHM's issuer file. */
  issuers: Record<string, string>;
  policyEnabled: boolean;
  /** SHA-256 hex of each API token, with the WHM user it belongs to. */
  tokens: StoredToken[];
}

export interface StoredToken {
  user: string;
  sha256: string;
  /** The root token the simulator was started with: replaced, not kept, on the next start. */
  startup?: boolean;
}

export const SYSTEM_WIDE_ISSUER = 'system_wide_issuer';
export const ROOT = 'root';
