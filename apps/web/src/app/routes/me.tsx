import { MyAccount } from '../../features/me/components/my-account';

export default function MeRoute() {
  return <MyAccount />;
}
