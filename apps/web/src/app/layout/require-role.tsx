import type { ReactNode } from 'react';
import type { Role } from '../../lib/auth';
import { useOperator } from '../../lib/operator';
import { roleWithArticle } from '../../lib/roles';

/** A page this role may not use says so instead of failing call by call. */
const PLURAL: Record<Role, string> = {
  admin: 'admins',
  support: 'support operators',
  viewer: 'viewers',
};

export function RequireRole({
  role,
  what,
  children,
}: {
  role: Role | readonly Role[];
  what: string;
  children: ReactNode;
}) {
  const operator = useOperator();
  const allowed: readonly Role[] = typeof role === 'string' ? [role] : role;
  if (!allowed.includes(operator.role)) {
    return (
      <section className="card">
        <h1>Not available</h1>
        <p>
          {what} is for {allowed.map((r) => PLURAL[r]).join(' and ')} only. You are signed in as{' '}
          {roleWithArticle(operator.role)}.
        </p>
      </section>
    );
  }
  return children;
}
