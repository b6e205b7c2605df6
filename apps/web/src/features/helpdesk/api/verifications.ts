import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface SentCode {
  id: string;
  /** The masked address the code went to (a***@example.com). */
  sentTo: string;
  expiresAt: string;
}

export function useSendCode() {
  return useMutation({
    mutationFn: (input: { server: string; user: string }) =>
      api<SentCode>('/api/verifications', { method: 'POST', body: input }),
  });
}

export function useCheckCode() {
  return useMutation({
    mutationFn: ({ id, code }: { id: string; code: string }) =>
      api<{ verified: true; sentTo: string }>(
        `/api/verifications/${encodeURIComponent(id)}/check`,
        { method: 'POST', body: { code } },
      ),
  });
}
