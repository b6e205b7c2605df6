import type { ReactNode } from 'react';
import type { Role } from '../../lib/auth';
import { useOperator } from '../../lib/operator';

/** A page this role may not use says so instead of failing call by call. */
export function RequireRole({
  role,
  what,
  children,
}: {
  role: Role;
  what: string;
  children: ReactNode;
}) {
  const operator = useOperator();
  if (operator.role !== role) {
    return (
      <section className="card">
        <h1>Not available</h1>
        <p>
          {what} is for {role}s only. You are signed in as a {operator.role}.
        </p>
      </section>
    );
  }
  return children;
}
