import { usePageTitle } from '../../lib/use-page-title';
import { RemindersAdmin } from '../../features/reminders/components/reminders-admin';

export default function RemindersRoute() {
  usePageTitle('Reminders');
  return <RemindersAdmin />;
}
