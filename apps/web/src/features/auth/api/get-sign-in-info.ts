import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Role } from '../../../lib/auth';

/** What the BFF tells the sign-in page before anyone signs in (nothing secret). */
export interface SignInInfo {
  product: string;
  /** Demo mode only; `password` only when it is the default printed at start. */
  demo: {
    /** In a hosted demo shown with DEMO_SHOW_SIGNINS, each has its own random password. */
    operators: { username: string; role: Role; password?: string }[];
    password: string | null;
    /** Present in a hosted demo (DEMO_PUBLIC). */
    hosted?: { showSignIns: boolean };
  } | null;
  /** With single sign-on configured: the button's "Sign in with <label>". */
  sso: { label: string } | null;
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
