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

/** Who will hear of the removal by email (the BFF queues one notice per removed account). */
export interface RemovalNotices {
  queued: number;
  /** Removed accounts without a contact address in WHM. */
  withoutAddress: string[];
  /** Why nobody could be told (mail off, WHM's list unreadable). */
  unavailable?: string;
}

export type RemovalAnswer = WhmAnswer<'twofactorauth_remove_user_config'> & {
  results: RemovalResult[];
  notices?: RemovalNotices;
};

export interface RemovalRequest {
  users: string[];
  reason: string;
  /** How the caller was verified: a checked code's id, or a ticket reference. */
  verification?: { method: 'email_code' | 'ticket'; ref: string } | null;
}

export interface RemovalReport {
  results: RemovalResult[];
  notices: RemovalNotices | null;
}

/** The BFF takes at most this many users per call. */
export const REMOVAL_BATCH = 1000;

export async function removeTwoFactor(
  server: string,
  { users, reason, verification }: RemovalRequest,
): Promise<RemovalReport> {
  const results: RemovalResult[] = [];
  let notices = null as RemovalNotices | null;
  const verified = verification
    ? { verification: verification.method, verification_ref: verification.ref }
    : {};
  for (let start = 0; start < users.length; start += REMOVAL_BATCH) {
    const batch = users.slice(start, start + REMOVAL_BATCH);
    const answer = await whmWrite<'twofactorauth_remove_user_config', RemovalAnswer>(
      server,
      'twofactorauth_remove_user_config',
      { user: batch.length === 1 ? batch[0] : batch, reason, ...verified },
    );
    results.push(...answer.results);
    if (answer.notices) {
      notices = {
        queued: (notices?.queued ?? 0) + answer.notices.queued,
        withoutAddress: [...(notices?.withoutAddress ?? []), ...answer.notices.withoutAddress],
        ...(answer.notices.unavailable ? { unavailable: answer.notices.unavailable } : {}),
      };
    }
  }
  return { results, notices };
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
