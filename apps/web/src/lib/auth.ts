import {
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { api, isApiError, SESSION_LOST_CODES } from './api-client';

export type Role = 'admin' | 'support' | 'viewer';

export interface Operator {
  id: number | string;
  username: string;
  role: Role;
  totpEnabled: boolean;
  /** Signs in (and steps up) at the identity provider. */
  sso?: boolean;
}

export interface Session {
  operator: Operator;
  expiresAt: string;
  idleExpiresAt: string;
  stepUpUntil: string | null;
  mustEnrollTotp: boolean;
  /** While mustEnrollTotp: when the grace period ends. */
  totpEnrollBy: string | null;
}

export const sessionKeys = { current: ['session'] as const };

/** `null` means "not signed in": the shell sends the operator to /login. */
export async function getSession(signal?: AbortSignal): Promise<Session | null> {
  try {
    return await api<Session>('/api/session', { signal });
  } catch (error) {
    if (isApiError(error, ...SESSION_LOST_CODES)) return null;
    throw error;
  }
}

export const sessionQueryOptions = queryOptions({
  queryKey: sessionKeys.current,
  queryFn: ({ signal }) => getSession(signal),
  staleTime: 60_000,
});

export function useSession() {
  return useQuery(sessionQueryOptions);
}

export interface Credentials {
  username: string;
  password: string;
  totp?: string | undefined;
}

export function signIn(credentials: Credentials): Promise<{ operator: Operator }> {
  return api('/api/session', { method: 'POST', body: credentials });
}

export function signOut(): Promise<void> {
  return api('/api/session', { method: 'DELETE' });
}

/**
 * Drops everything the previous operator loaded and sets the session. The session query itself
 * stays in the cache (only its data changes): the shell and sign-in page observe it.
 */
export function forgetAllBut(queryClient: QueryClient, session: Session | null): void {
  queryClient.setQueryData(sessionKeys.current, session);
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKeys.current[0] });
  queryClient.getMutationCache().clear();
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSuccess: () => forgetAllBut(queryClient, null),
  });
}

export type StepUpProof = { password: string } | { totp: string };

export function stepUp(proof: StepUpProof): Promise<{ stepUpUntil: string }> {
  return api('/api/session/step-up', { method: 'POST', body: proof });
}

export interface TotpSetup {
  secret: string;
  otpauthUri: string;
}

export function setupOwnTotp(): Promise<TotpSetup> {
  return api('/api/me/totp/setup', { method: 'POST', body: {} });
}

export function confirmOwnTotp(code: string): Promise<{ operator: Operator }> {
  return api('/api/me/totp/confirm', { method: 'POST', body: { code } });
}
