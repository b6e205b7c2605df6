import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { ConsoleSettings } from './get-settings';
import { operatorKeys } from './get-operators';

export function updateSettings(settings: ConsoleSettings) {
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
