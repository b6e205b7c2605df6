import { useMutation, useQueryClient } from '@tanstack/react-query';
import { whmWrite } from '../../../lib/whm';
import { issuerKeys } from './get-issuer';

/** An empty issuer resets WHM to its default (the server's hostname). */
export function setIssuer(server: string, issuer: string) {
  return whmWrite(server, 'twofactorauth_set_issuer', { issuer });
}

export function useSetIssuer(server: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (issuer: string) => setIssuer(server, issuer),
    onSettled: () => queryClient.invalidateQueries({ queryKey: issuerKeys.current(server) }),
  });
}
