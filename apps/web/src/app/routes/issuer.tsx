import { usePageTitle } from '../../lib/use-page-title';
import { IssuerEditor } from '../../features/issuer/components/issuer-editor';

export default function IssuerRoute() {
  usePageTitle('Issuer');
  return <IssuerEditor />;
}
