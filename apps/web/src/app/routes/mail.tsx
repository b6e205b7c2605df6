import { usePageTitle } from '../../lib/use-page-title';
import { MailAdmin } from '../../features/mail/components/mail-admin';

export default function MailRoute() {
  usePageTitle('Mail');
  return <MailAdmin />;
}
