import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export type MailMode = 'smtp' | 'demo' | 'off';
export type MailStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'unconfirmed';
export type CallerVerificationMode = 'optional' | 'required';

/** What every operator may know: the removal dialog asks it. */
export interface MailInfo {
  mode: MailMode;
  callerVerification: CallerVerificationMode;
  ticketVerification: boolean;
}

export interface OutboxMessage {
  id: number;
  kind: 'removal_notice' | 'verification_code' | 'enrollment_reminder';
  to: string;
  subject: string;
  text: string;
  serverId: string | null;
  account: string | null;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface Outbox {
  mode: MailMode;
  from: string | null;
  counts: Record<MailStatus, number>;
  messages: OutboxMessage[];
}

export interface MailSettings {
  noticeSubject: string;
  noticeParagraph: string;
  contact: string;
  hostName: string;
  callerVerification: CallerVerificationMode;
  ticketVerification: boolean;
}

export interface CaughtMessage {
  seq: number;
  at: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export const mailKeys = {
  all: ['mail'] as const,
  info: () => [...mailKeys.all, 'info'] as const,
  outbox: (status: MailStatus | undefined) => [...mailKeys.all, 'outbox', status ?? 'all'] as const,
  settings: () => [...mailKeys.all, 'settings'] as const,
  demoMailbox: () => [...mailKeys.all, 'demo-mailbox'] as const,
};

export function useMailInfo() {
  return useQuery({
    queryKey: mailKeys.info(),
    queryFn: ({ signal }) => api<MailInfo>('/api/mail', { signal }),
    staleTime: 60_000,
  });
}

/** Polled while messages wait, so a retry's result shows without a reload. */
export function useOutbox(status: MailStatus | undefined) {
  return useQuery({
    queryKey: mailKeys.outbox(status),
    queryFn: ({ signal }) =>
      api<Outbox>('/api/mail/outbox', { signal, query: { status, limit: 200 } }),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => {
      const counts = query.state.data?.counts;
      return counts && counts.queued + counts.sending > 0 ? 3_000 : 30_000;
    },
  });
}

export function useRetryMail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) =>
      api<{ message: OutboxMessage }>(`/api/mail/outbox/${id}/retry`, { method: 'POST' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...mailKeys.all, 'outbox'] }),
  });
}

export function useMailSettings() {
  return useQuery({
    queryKey: mailKeys.settings(),
    queryFn: ({ signal }) => api<MailSettings>('/api/mail/settings', { signal }),
  });
}

/** Making caller verification easier (optional again, tickets allowed) needs step-up. */
export function useUpdateMailSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: Partial<MailSettings>) =>
      api<MailSettings>('/api/mail/settings', { method: 'PATCH', body: changes }),
    onSuccess: (settings) => queryClient.setQueryData(mailKeys.settings(), settings),
    onSettled: () => queryClient.invalidateQueries({ queryKey: mailKeys.all }),
  });
}

/** Demo mode's catcher: what the account holders "received". */
export function useDemoMailbox(enabled: boolean) {
  return useQuery({
    queryKey: mailKeys.demoMailbox(),
    queryFn: ({ signal }) =>
      api<{ messages: CaughtMessage[] }>('/api/mail/demo-mailbox', { signal }),
    enabled,
    refetchInterval: 3_000,
  });
}
