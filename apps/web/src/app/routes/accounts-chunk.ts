import { useEffect } from 'react';

/** The accounts route's chunk; import() fetches it once, later calls share that fetch. */
export const loadAccountsRoute = () => import('./accounts');

/**
 * Signing in lands on the accounts list: the shell and the sign-in page start fetching its chunk
 * as they mount, beside the session check, so it is out of the first script yet not waited for.
 * A failed fetch shows when the route renders, not as an unhandled rejection here.
 */
export function usePreloadAccountsRoute() {
  useEffect(() => {
    loadAccountsRoute().catch(() => {});
  }, []);
}
