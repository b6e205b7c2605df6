import { usePageTitle } from '../../lib/use-page-title';
import { DemoMailbox } from '../../features/mail/components/demo-mailbox';

export default function MailboxRoute() {
  usePageTitle('Demo mailbox');
  return <DemoMailbox />;
}
