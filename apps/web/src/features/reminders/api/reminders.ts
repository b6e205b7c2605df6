import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { MailMode } from '../../mail/api/mail';

/** Whom reminders go to: some servers (by id or tag; neither: all of mine), an owner, a plan. */
export interface ReminderFilter {
  servers?: string[];
  tag?: string;
  owner?: string;
  plan?: string;
}

export interface SkippedCounts {
  noFeature: number;
  suspended: number;
  noAddress: number;
  remindedRecently: number;
}

export interface ReminderPreview {
  mail: MailMode;
  recipients: number;
  skipped: SkippedCounts;
  enrolled: number;
  servers: { id: string; label: string; recipients: number }[];
  unread: { server: string; label: string; fault: string }[];
  remindAgainAfterDays: number;
  /** The first few recipients (the count is of all). */
  names: {
    server: string;
    serverLabel: string;
    user: string;
    domain: string;
    owner: string;
    plan: string;
  }[];
}

export interface SentReminders {
  campaign: number;
  createdAt: string;
  recipients: number;
  skipped: SkippedCounts;
}

export interface ReminderCampaign {
  id: number;
  createdAt: string;
  operator: string;
  filter: ReminderFilter;
  reminded: number;
  enrolledSince: number;
  skipped: SkippedCounts;
  delivery: { queued: number; sent: number; failed: number; unconfirmed: number };
}

export const reminderKeys = {
  all: ['reminders'] as const,
  campaigns: () => [...reminderKeys.all, 'campaigns'] as const,
};

/** Polled while messages of a campaign still wait, so "sent" catches up without a reload. */
export function useReminderCampaigns() {
  return useQuery({
    queryKey: reminderKeys.campaigns(),
    queryFn: ({ signal }) => api<{ campaigns: ReminderCampaign[] }>('/api/reminders', { signal }),
    refetchInterval: (query) =>
      query.state.data?.campaigns.some((c) => c.delivery.queued > 0) ? 3_000 : 60_000,
  });
}

/** A mutation, not a query: it reads every chosen server live, so it runs when asked. */
export function usePreviewReminders() {
  return useMutation({
    mutationFn: (filter: ReminderFilter) =>
      api<ReminderPreview>('/api/reminders/preview', { method: 'POST', body: filter }),
  });
}

export function useSendReminders() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (filter: ReminderFilter) =>
      api<SentReminders>('/api/reminders', { method: 'POST', body: filter }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: reminderKeys.all }),
  });
}
