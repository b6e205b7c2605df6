import { createContext, use } from 'react';
import type { Operator } from './auth';

/**
 * The signed-in operator, provided by the shell. A context rather than the session query, so pages
 * keep their operator for the moment between "session gone" and the redirect to sign-in.
 */
export const OperatorContext = createContext<Operator | null>(null);

export function useOperator(): Operator {
  const operator = use(OperatorContext);
  if (!operator) throw new Error('useOperator outside the signed-in shell');
  return operator;
}
