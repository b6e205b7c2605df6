import { WhmError } from '@console/whm-api';
import { contactOf } from '../helpdesk/account-contacts.js';
import { directRead } from '../whm/prepared-calls.js';
import { readTwoFactorAvailability } from '../whm/two-factor-availability.js';
import type { WhmUpstream } from '../whm/upstream.js';
import type { ReminderFilter } from './reminder-schemas.js';

/** An account a reminder may go to: ordinary, without 2FA, able to turn it on, with an address. */
export interface Candidate {
  serverId: string;
  user: string;
  domain: string;
  owner: string;
  plan: string;
  address: string;
}

/** Why an account without 2FA gets no reminder. */
export interface SkippedCounts {
  /** Its package lacks the twofactorauth feature: it could not follow the reminder. */
  noFeature: number;
  /** Suspended: it cannot sign in to cPanel to set anything up. */
  suspended: number;
  noAddress: number;
  /** Reminded in the last 7 days, by this or another campaign. */
  remindedRecently: number;
}

export interface ServerAudience {
  candidates: Candidate[];
  skipped: Omit<SkippedCounts, 'remindedRecently'>;
  /** Ordinary accounts of the filter that already have 2FA on. */
  enrolled: number;
}

/**
 * One server's accounts as a reminder sees them, read live from WHM (the fleet index has no
 * addresses and may be 15 minutes old: nobody should be told to enroll just after they did).
 * Ordinary means what it means for support's removals (whm/ordinary-targets.ts): never root, the
 * WHM user the console acts as, or anyone on WHM's reseller list. Unlike the fleet's reading, a
 * feature list that cannot be read fails the server: a reminder must never go to an account
 * whose package has no 2FA.
 */
export async function readAudience(
  upstream: WhmUpstream,
  filter: Pick<ReminderFilter, 'owner' | 'plan'>,
): Promise<ServerAudience> {
  const [listed, configs, resellers, availability] = await Promise.all([
    directRead(upstream, 'listaccts', { want: 'user,domain,owner,plan,suspended,email' }),
    directRead(upstream, 'twofactorauth_get_user_configs', {}),
    directRead(upstream, 'listresellers', {}),
    readTwoFactorAvailability(upstream, directRead),
  ]);
  const notOrdinary = new Set(['root', upstream.server.user, ...resellers.data.reseller]);
  const lacking = new Set(availability.packagesWithoutTwoFactor);
  const audience: ServerAudience = {
    candidates: [],
    skipped: { noFeature: 0, suspended: 0, noAddress: 0 },
    enrolled: 0,
  };
  for (const account of listed.data.acct) {
    const user = account.user ?? '';
    if (user === '' || notOrdinary.has(user)) continue;
    const owner = account.owner ?? '';
    const plan = account.plan ?? '';
    if (filter.owner !== undefined && owner !== filter.owner) continue;
    if (filter.plan !== undefined && plan !== filter.plan) continue;
    if (configs.data[user]?.is_enabled) {
      audience.enrolled += 1;
    } else if (lacking.has(plan)) {
      audience.skipped.noFeature += 1;
    } else if (account.suspended) {
      audience.skipped.suspended += 1;
    } else {
      const { domain, email } = contactOf({ user, domain: account.domain, email: account.email });
      if (email === null) audience.skipped.noAddress += 1;
      else
        audience.candidates.push({
          serverId: upstream.server.id,
          user,
          domain,
          owner,
          plan,
          address: email,
        });
    }
  }
  return audience;
}

/** What a server that could not be read says, short, never a token. */
export function faultOf(error: unknown): string {
  const text = error instanceof WhmError ? error.reason : (error as Error).message;
  return text.slice(0, 300);
}
