import { usePageTitle } from '../../lib/use-page-title';
import { AccountsView } from '../../features/accounts/components/accounts-view';

export default function AccountsRoute() {
  usePageTitle('Accounts');
  return <AccountsView />;
}
