import { FirstAdminSetup } from '../../features/setup/components/first-admin-setup';

/** Outside the shell, like sign-in; each step names the tab after its own heading. */
export default function SetupRoute() {
  return (
    <main className="login-page" id="main">
      <FirstAdminSetup />
    </main>
  );
}
