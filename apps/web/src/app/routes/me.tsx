import { usePageTitle } from '../../lib/use-page-title';
import { MyAccount } from '../../features/me/components/my-account';

export default function MeRoute() {
  usePageTitle('My account');
  return <MyAccount />;
}
