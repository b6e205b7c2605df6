import { usePageTitle } from '../../lib/use-page-title';
import { AccountsView } from '../../features/accounts/components/accounts-view';

export function AccountsRoute() {
  usePageTitle('Accounts');
  return <AccountsView />;
}
