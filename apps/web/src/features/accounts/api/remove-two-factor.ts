import { useMutation, useQueryClient } from '@tanstack/react-query';
import { whmWrite, type WhmAnswer } from '../../../lib/whm';
import { accountAuditKeys } from './get-account-audit';
import { twoFactorKeys } from './get-two-factor-configs';

export type RemovalOutcome = 'removed' | 'not_enrolled' | 'failed';

export interface RemovalResult {
  user: string;
  outcome: RemovalOutcome;
  reason?: string;
}

export type RemovalAnswer = WhmAnswer<'twofactorauth_remove_user_config'> & {
  results: RemovalResult[];
};

export interface RemovalRequest {
  users: string[];
  reason: string;
}

/** The BFF takes at most this many users per call. */
export const REMOVAL_BATCH = 1000;

export async function removeTwoFactor(
  server: string,
  { users, reason }: RemovalRequest,
): Promise<RemovalResult[]> {
  const results: RemovalResult[] = [];
  for (let start = 0; start < users.length; start += REMOVAL_BATCH) {
    const batch = users.slice(start, start + REMOVAL_BATCH);
    const answer = await whmWrite<'twofactorauth_remove_user_config', RemovalAnswer>(
      server,
      'twofactorauth_remove_user_config',
      { user: batch.length === 1 ? batch[0] : batch, reason },
    );
    results.push(...answer.results);
  }
  return results;
}

export const removeTwoFactorKey = ['remove-two-factor'] as const;

export function useRemoveTwoFactor(server: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: removeTwoFactorKey,
    mutationFn: (request: RemovalRequest) => removeTwoFactor(server, request),
    // The 2FA state changed, and the audit log (here and in an account's drawer) has new records.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: twoFactorKeys.list(server) }),
        queryClient.invalidateQueries({ queryKey: accountAuditKeys.all }),
      ]),
  });
}
