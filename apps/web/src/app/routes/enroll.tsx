import { EnrollWhmUser } from '../../features/enroll/components/enroll-whm-user';

export default function EnrollRoute() {
  return <EnrollWhmUser />;
}
