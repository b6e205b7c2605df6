import { usePageTitle } from '../../lib/use-page-title';
import { EnrollWhmUser } from '../../features/enroll/components/enroll-whm-user';

export default function EnrollRoute() {
  usePageTitle('Enroll the WHM user');
  return <EnrollWhmUser />;
}
