import { USERNAME_PATTERN, WhmError, type WhmAnswer, type WhmFunctionName } from '@console/whm-api';
import { AppError, errors } from '../errors.js';
import type { WhmUpstream } from './upstream.js';

export type DirectRead = <F extends WhmFunctionName>(
  upstream: WhmUpstream,
  fn: F,
  params: Record<string, string>,
) => Promise<WhmAnswer<F>>;

/**
 * Support may touch ordinary accounts only: never root, the WHM user the console acts as, or a
 * reseller. Who is a reseller is WHM's own list, read live (a reseller that owns nothing is one
 * too); when it cannot be read, the call is refused.
 */
export async function checkOrdinaryTargets(
  upstream: WhmUpstream,
  user: unknown,
  directRead: DirectRead,
): Promise<void> {
  const candidates = (Array.isArray(user) ? user : [user]).filter(
    (item): item is string => typeof item === 'string' && USERNAME_PATTERN.test(item),
  );
  if (candidates.length === 0) return;
  for (const name of candidates) {
    if (name === 'root') throw errors.forbidden('Support may not change root.');
    if (name === upstream.server.user) {
      throw errors.forbidden(`Support may not change ${name}, the WHM user the console acts as.`);
    }
  }
  let resellers: Set<string>;
  try {
    const answer = await directRead(upstream, 'listresellers', {});
    resellers = new Set(answer.data.reseller);
  } catch (error) {
    const why = error instanceof WhmError ? error.reason : (error as Error).message;
    throw new AppError(
      'upstream_unavailable',
      `WHM's reseller list could not be read, so support's change is refused: ${why}`,
      { logInfo: { fault: why } },
    );
  }
  const reseller = candidates.find((name) => resellers.has(name));
  if (reseller !== undefined) {
    throw errors.forbidden(`${reseller} is a reseller on this server; support may not change it.`);
  }
}
