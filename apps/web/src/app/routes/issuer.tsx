import { IssuerEditor } from '../../features/issuer/components/issuer-editor';

export default function IssuerRoute() {
  return <IssuerEditor />;
}
