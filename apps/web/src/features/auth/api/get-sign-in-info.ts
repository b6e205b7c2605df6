import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Role } from '../../../lib/auth';

/** What the BFF tells the sign-in page before anyone signs in (nothing secret). */
export interface SignInInfo {
  product: string;
  /** Demo mode only; `password` only when it is the default printed at start. */
  demo: { operators: { username: string; role: Role }[]; password: string | null } | null;
}

export function getSignInInfo(signal?: AbortSignal) {
  return api<SignInInfo>('/api/sign-in', { signal });
}

export const signInInfoQueryOptions = queryOptions({
  queryKey: ['sign-in-info'] as const,
  queryFn: ({ signal }) => getSignInInfo(signal),
  staleTime: Infinity,
});

export function useSignInInfo() {
  return useQuery(signInInfoQueryOptions);
}
