import { errors } from '../errors.js';
import type { OperatorRecord } from '../operators/operator-store.js';
import type { WhmServerConfig } from '../whm/servers.js';

/**
 * Whether an operator may use a server: every server when it is not limited, else a server with
 * one of its tags (support for the EU datacenter only, say). Every route that names or lists
 * servers asks this, the fleet's cache and search included.
 */
export function mayUseServer(
  operator: Pick<OperatorRecord, 'serverTags'>,
  server: Pick<WhmServerConfig, 'tags'>,
): boolean {
  const limit = operator.serverTags;
  if (limit === null) return true;
  return (server.tags ?? []).some((tag) => limit.includes(tag));
}

export function requireServer(
  operator: Pick<OperatorRecord, 'serverTags'>,
  server: Pick<WhmServerConfig, 'tags'>,
): void {
  if (!mayUseServer(operator, server)) {
    throw errors.forbidden(
      `Your operator may use the servers tagged ${(operator.serverTags ?? []).join(', ')} only.`,
    );
  }
}
