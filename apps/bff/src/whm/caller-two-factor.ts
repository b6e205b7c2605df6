import type { DirectRead } from './ordinary-targets.js';
import type { WhmUpstream } from './upstream.js';

/**
 * Whether the WHM user the console acts as already has 2FA, read live from WHM: enrolling it
 * again replaces that secret (its authenticator entry stops working), which weakens security
 * until the new one is confirmed, so it needs a step-up. `unknown` (WHM unreadable, user not
 * listed) is treated like `on`.
 */
export async function callerTwoFactor(
  upstream: WhmUpstream,
  directRead: DirectRead,
): Promise<'on' | 'off' | 'unknown'> {
  try {
    return await readCallerTwoFactor(upstream, directRead);
  } catch {
    return 'unknown';
  }
}

/** The same read for the enroll screen: WHM's faults are thrown, to be answered as such. */
export async function readCallerTwoFactor(
  upstream: WhmUpstream,
  directRead: DirectRead,
): Promise<'on' | 'off' | 'unknown'> {
  const user = upstream.server.user;
  const answer = await directRead(upstream, 'twofactorauth_get_user_configs', { user });
  if (!Object.hasOwn(answer.data, user)) return 'unknown';
  return answer.data[user]?.is_enabled === 1 ? 'on' : 'off';
}
