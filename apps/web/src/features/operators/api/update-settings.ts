import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { ConsoleSettings } from './get-settings';
import { operatorKeys } from './get-operators';

export type SettingsChange = Pick<ConsoleSettings, 'requireOperatorTotp'> &
  Partial<Pick<ConsoleSettings, 'totpGraceDays' | 'localSignInAdminsOnly'>>;

/** Turning TOTP off or lengthening the grace period needs step-up. */
export function updateSettings(settings: SettingsChange) {
  return api<ConsoleSettings | undefined>('/api/settings', { method: 'PUT', body: settings });
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSettings,
    onSuccess: (settings) => {
      if (settings) queryClient.setQueryData(operatorKeys.settings(), settings);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: operatorKeys.settings() }),
  });
}
