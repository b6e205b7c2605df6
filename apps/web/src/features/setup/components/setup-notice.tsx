import { useSetupStatus } from '../api/get-setup-status';

/** On the sign-in page while no operator exists: nobody can sign in yet, so say how to start. */
export function SetupNotice() {
  const status = useSetupStatus();
  if (!status.data?.open) return null;
  return (
    <section className="card stack" aria-labelledby="setup-notice-title">
      <h2 id="setup-notice-title">First run</h2>
      <p>
        No operator exists yet: open the setup link the console printed when it started (or run{' '}
        <code>npm run operators -- add NAME admin</code>).
      </p>
    </section>
  );
}
