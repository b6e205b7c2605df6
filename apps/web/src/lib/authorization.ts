import type { Role } from './auth';

/** What a role may do, and why not when it may not: shown beside disabled controls. */
export const ADMIN_ONLY = 'Only admins can do this.';
export const VIEWER_READ_ONLY = 'Viewers have read-only access.';

export function canAdminister(role: Role): boolean {
  return role === 'admin';
}

export interface RemovalTarget {
  user: string;
  /** null: WHM's reseller list is not read yet, or could not be. */
  isReseller: boolean | null;
}

/** Why this role may not remove 2FA from this account, or null when it may. */
export function removalDenial(role: Role, target: RemovalTarget): string | null {
  if (role === 'admin') return null;
  if (role === 'viewer') return VIEWER_READ_ONLY;
  if (target.user === 'root') return 'Support cannot change root.';
  if (target.isReseller) return 'Support cannot change resellers.';
  if (target.isReseller === null)
    return "WHM's reseller list could not be read, so support cannot tell a reseller from a customer.";
  return null;
}

/** Admins read the whole audit log, support its own records; viewers none of it. */
export function canReadAudit(role: Role): boolean {
  return role === 'admin' || role === 'support';
}
