import { createHmac } from 'node:crypto';
import type { Account } from '@console/whm-api';
import { Secret } from 'otpauth';
import { accountHasFeature } from './features.js';
import {
  SYSTEM_WIDE_ISSUER,
  type FeatureList,
  type SimPackage,
  type SimState,
  type TfaEntry,
} from './state.js';

const WORDS = [
  'acme',
  'bakery',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'garnet',
  'harbor',
  'indigo',
  'juniper',
  'kestrel',
  'lumen',
  'meadow',
  'nimbus',
  'orchid',
  'pixel',
  'quartz',
  'rivet',
  'summit',
  'tundra',
  'umber',
  'vertex',
  'willow',
  'xenon',
  'yonder',
  'zephyr',
];
const DOMAIN_SUFFIXES = ['example', 'test', 'example.com', 'example.net', 'example.org'];
const SUSPEND_REASONS = [
  'Non-payment',
  'Abuse report: outgoing spam',
  'Requested by the customer',
  '',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface PlanLimits {
  disklimit: number | 'unlimited';
  maxaddons: number | 'unlimited';
  maxftp: number | 'unlimited';
  maxlst: number | 'unlimited';
  maxparked: number | 'unlimited';
  maxpop: number | 'unlimited';
  maxsql: number | 'unlimited';
  maxsub: number | 'unlimited';
}

/**
 * `starter`'s feature list turns `twofactorauth` off, so its accounts cannot use UAPI
 * TwoFactorAuth; `basic` names it on explicitly; the others leave it to `default`. The `disabled`
 * list (off for every account) names a feature that has nothing to do with 2FA.
 */
const FEATURE_LISTS: Record<string, FeatureList> = {
  default: {},
  disabled: { boxtrapper: '0' },
  starter: { twofactorauth: '0', ssh: '0', backup: '0' },
  basic: { twofactorauth: '1', ssh: '0' },
};

interface PlanFeatures {
  featurelist: string;
}

const UNLIMITED_PLAN: PlanFeatures & PlanLimits = {
  featurelist: 'default',
  disklimit: 'unlimited',
  maxaddons: 'unlimited',
  maxftp: 'unlimited',
  maxlst: 'unlimited',
  maxparked: 'unlimited',
  maxpop: 'unlimited',
  maxsql: 'unlimited',
  maxsub: 'unlimited',
};

const PLANS: Record<string, PlanFeatures & PlanLimits> = {
  starter: {
    featurelist: 'starter',
    disklimit: 1024,
    maxaddons: 0,
    maxftp: 1,
    maxlst: 0,
    maxparked: 0,
    maxpop: 5,
    maxsql: 1,
    maxsub: 2,
  },
  basic: {
    featurelist: 'basic',
    disklimit: 5120,
    maxaddons: 1,
    maxftp: 5,
    maxlst: 1,
    maxparked: 2,
    maxpop: 25,
    maxsql: 5,
    maxsub: 10,
  },
  business: {
    featurelist: 'default',
    disklimit: 20480,
    maxaddons: 10,
    maxftp: 25,
    maxlst: 5,
    maxparked: 10,
    maxpop: 100,
    maxsql: 25,
    maxsub: 50,
  },
  premium: UNLIMITED_PLAN,
  reseller: UNLIMITED_PLAN,
};
const ORDINARY_PLANS = ['starter', 'basic', 'basic', 'business', 'business', 'premium'];

const FIRST_START = 1_600_000_000;
const SECRET_SEED = 'whm-sim deterministic enrolment seed';

/** Small deterministic PRNG (mulberry32): the same N always gives the same accounts. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The secret a seeded, already enrolled account has: derived, so it survives a re-seed unchanged. */
export function seededSecret(user: string): string {
  const key = createHmac('sha256', SECRET_SEED).update(user).digest().subarray(0, 10);
  return new Secret({ buffer: Uint8Array.from(key).buffer }).base32;
}

/** Resellers that own accounts. */
function owningResellerCount(total: number): number {
  if (total < 2) return 0;
  return Math.min(200, Math.max(2, Math.round(total / 25)));
}

/**
 * The owning resellers, then one that owns nothing (where there are accounts to spare): WHM's own
 * reseller list says who is a reseller, not who owns accounts, and a console must not confuse them.
 */
function resellerNames(total: number): { names: string[]; owning: number } {
  const owning = owningResellerCount(total);
  const idle = owning > 0 && total > owning + 1 ? 1 : 0;
  return {
    names: Array.from({ length: owning + idle }, (_, i) => `reseller${i + 1}`),
    owning,
  };
}

function startdate(unix: number): string {
  const d = new Date(unix * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCFullYear() % 100)} ${MONTHS[d.getUTCMonth()] ?? 'Jan'} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

interface AccountShape {
  user: string;
  domain: string;
  owner: string;
  plan: string;
  index: number;
  random: () => number;
}

function buildAccount({ user, domain, owner, plan, index, random }: AccountShape): Account {
  const limits = PLANS[plan] ?? PLANS.basic!;
  const unixStart = FIRST_START + index * 25_200 + Math.floor(random() * 3600);
  const suspended = index % 13 === 5 ? 1 : 0;
  const suspendreason = suspended
    ? (SUSPEND_REASONS[index % SUSPEND_REASONS.length] ?? '')
    : 'not suspended';
  const diskLimit = limits.disklimit;
  const diskUsed = Math.floor(random() * (typeof diskLimit === 'number' ? diskLimit : 50_000));
  return {
    user,
    domain,
    owner,
    email: index % 11 === 7 ? '*unknown*' : `admin@${domain}`,
    plan,
    suspended,
    suspendreason,
    suspendtime: suspended ? unixStart + 86_400 * (30 + (index % 200)) : 0,
    unix_startdate: unixStart,
    startdate: startdate(unixStart),
    is_locked: index % 97 === 3 ? 1 : 0,
    ip: index % 9 === 4 ? `198.51.100.${(index % 250) + 1}` : '192.0.2.10',
    ipv6: index % 7 === 2 ? [`2001:db8::${(index % 65_000).toString(16)}`] : [],
    partition: index % 4 === 3 ? 'home2' : 'home',
    diskused: `${diskUsed}M`,
    disklimit: diskLimit,
    inodesused: Math.floor(random() * 200_000),
    inodeslimit: 'unlimited',
    uid: 1001 + index,
    shell: index % 6 === 0 ? '/usr/local/cpanel/bin/noshell' : '/bin/bash',
    theme: 'jupiter',
    maxaddons: limits.maxaddons,
    maxftp: limits.maxftp,
    maxlst: limits.maxlst,
    maxparked: limits.maxparked,
    maxpop: limits.maxpop,
    maxsql: limits.maxsql,
    maxsub: limits.maxsub,
    max_email_per_hour: 'unlimited',
    max_emailacct_quota: 'unlimited',
    max_defer_fail_percentage: 'unlimited',
    min_defer_fail_to_trigger_protection: 5,
    mailbox_format: index % 5 === 0 ? 'mdbox' : 'maildir',
    backup: index % 8 === 0 ? 0 : 1,
    has_backup: index % 3 === 0 ? 0 : 1,
    legacy_backup: 0,
    temporary: 0,
    is_temporary_domain: 0,
    outgoing_mail_hold: 0,
    outgoing_mail_suspended: index % 41 === 17 ? 1 : 0,
    child_nodes: [],
  };
}

/** What makes one simulated server unlike another of a fleet (fleet.ts); the defaults are one server's. */
export interface SeedProfile {
  /** Mixed into the names' randomness, so two servers of a fleet hold different accounts. */
  seed: number;
  policyEnabled: boolean;
  /** The server-wide issuer; absent, WHM's default (the hostname). */
  issuer?: string;
  /** One in this many accounts (whose plan has the feature) is enrolled: 4 is a quarter. */
  enrolledEvery: number;
}

export const DEFAULT_SEED_PROFILE: SeedProfile = {
  seed: 0,
  policyEnabled: false,
  enrolledEvery: 4,
};

/**
 * `total` accounts, the resellers among them: a third of the rest owned by root, the others spread
 * over the resellers but the last, which owns none; every 13th suspended; one in
 * `profile.enrolledEvery` (a quarter by default) of the accounts whose plan has the `twofactorauth`
 * feature already enrolled, with secrets derived from the user name.
 */
export function seedState(total: number, profile: SeedProfile = DEFAULT_SEED_PROFILE): SimState {
  const random = prng(0x5eed ^ total ^ profile.seed);
  const { names: resellers, owning } = resellerNames(total);
  const accounts: Account[] = [];
  const secrets: Record<string, TfaEntry> = {};
  for (let index = 0; index < total; index++) {
    const isReseller = index < resellers.length;
    const word = WORDS[index % WORDS.length] ?? 'acme';
    const user = isReseller ? (resellers[index] ?? 'reseller') : `${word}${index + 1}`;
    const domainWord = WORDS[(index * 7 + 3) % WORDS.length] ?? 'delta';
    const suffix = DOMAIN_SUFFIXES[index % DOMAIN_SUFFIXES.length] ?? 'example';
    const domain = `${domainWord}${index + 1}.${suffix}`;
    const owner =
      isReseller || owning === 0 || index % 3 === 0
        ? 'root'
        : (resellers[index % owning] ?? 'root');
    const plan = isReseller
      ? 'reseller'
      : (ORDINARY_PLANS[index % ORDINARY_PLANS.length] ?? 'basic');
    accounts.push(buildAccount({ user, domain, owner, plan, index, random }));
  }
  const packages: Record<string, SimPackage> = { default: packageOf(UNLIMITED_PLAN) };
  for (const [name, plan] of Object.entries(PLANS)) packages[name] = packageOf(plan);
  const state: SimState = {
    version: 1,
    accounts,
    resellers,
    packages,
    featureLists: structuredClone(FEATURE_LISTS),
    secrets,
    issuers: profile.issuer === undefined ? {} : { [SYSTEM_WIDE_ISSUER]: profile.issuer },
    policyEnabled: profile.policyEnabled,
    tokens: [],
  };
  const every = Math.max(1, profile.enrolledEvery);
  accounts.forEach((acct, index) => {
    const enrolled = index < resellers.length ? index === 1 : index % every === 1 % every;
    if (enrolled && accountHasFeature(state, acct, 'twofactorauth')) {
      secrets[acct.user] = { secret: seededSecret(acct.user) };
    }
  });
  return state;
}

function packageOf(plan: PlanFeatures & PlanLimits): SimPackage {
  return { FEATURELIST: plan.featurelist, QUOTA: plan.disklimit, BWLIMIT: 'unlimited' };
}
