import { AccountsView } from '../../features/accounts/components/accounts-view';

export function AccountsRoute() {
  return <AccountsView />;
}
