import { useMutation, useQueryClient } from '@tanstack/react-query';
import { whmWrite } from '../../../lib/whm';
import { policyKeys } from './get-policy-status';

/** Disabling needs a recent step-up; the BFF answers `step_up_required` without one. */
export function setPolicy(server: string, enabled: boolean) {
  return whmWrite(
    server,
    enabled ? 'twofactorauth_enable_policy' : 'twofactorauth_disable_policy',
    {},
  );
}

export const setPolicyKey = ['set-policy'] as const;

export function useSetPolicy(server: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationKey: setPolicyKey,
    mutationFn: (enabled: boolean) => setPolicy(server, enabled),
    onSettled: () => queryClient.invalidateQueries({ queryKey: policyKeys.status(server) }),
  });
}
