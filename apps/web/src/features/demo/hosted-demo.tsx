import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { shownError, useStepUpGate } from '../../components/step-up-gate';
import { Dialog } from '../../components/ui/dialog';
import { FormError } from '../../components/ui/error-panel';
import { api } from '../../lib/api-client';
import { forgetAllBut } from '../../lib/auth';
import { useSignInInfo } from '../auth/api/get-sign-in-info';

interface HostedDemoInfo {
  resetMinutes: number;
  nextResetAt: string;
}

/** The hosted demo's schedule. */
function useHostedDemo() {
  return useQuery({
    queryKey: ['hosted-demo'],
    queryFn: ({ signal }) => api<HostedDemoInfo>('/api/demo', { signal }),
    refetchInterval: 60_000,
  });
}

/** "in 23 minutes", ticking once a minute. */
function useMinutesUntil(iso: string | undefined): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (!iso) return null;
  return Math.max(0, Math.ceil((Date.parse(iso) - now) / 60_000));
}

function resetText(minutes: number, at: string): string {
  const time = new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const when = minutes <= 1 ? 'within a minute' : `in ${minutes} minutes`;
  return `This is a shared demo on simulated servers: everything anyone changes is reset ${when} (at ${time}).`;
}

/** Above every screen (and the sign-in page) of a hosted demo; nothing elsewhere. */
export function HostedDemoBanner({ isAdmin = false }: { isAdmin?: boolean }) {
  const info = useSignInInfo();
  // Asked only when the sign-in info says this is one: other consoles have no /api/demo.
  if (info.data?.demo?.hosted === undefined) return null;
  return <Schedule isAdmin={isAdmin} />;
}

function Schedule({ isAdmin }: { isAdmin: boolean }) {
  const demo = useHostedDemo();
  const minutes = useMinutesUntil(demo.data?.nextResetAt);
  if (!demo.data || minutes === null) return null;
  return (
    <div className="banner demo-banner" role="status" aria-label="Hosted demo">
      {resetText(minutes, demo.data.nextResetAt)} {isAdmin ? <ResetNow /> : null}
    </div>
  );
}

function ResetNow() {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const stepUp = useStepUpGate();
  const reset = useMutation({
    mutationFn: () => api<HostedDemoInfo>('/api/demo/reset', { method: 'POST' }),
    // Everyone's sessions went with the old demo: back to the sign-in page.
    onSuccess: () => forgetAllBut(queryClient, null),
  });
  const run = () => reset.mutate(undefined, { onError: stepUp.onError(run) });
  return (
    <>
      <button type="button" onClick={() => setConfirming(true)} disabled={reset.isPending}>
        {reset.isPending ? 'Resetting…' : 'Reset the demo now'}
      </button>
      <Dialog open={confirming} onClose={() => setConfirming(false)} title="Reset the demo now?">
        <div className="stack">
          <p>
            Every change anyone made goes, and every visitor is signed out, you too. The sign-ins
            stay the same.
          </p>
          <FormError error={shownError(reset.error)} />
          <div className="actions">
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button type="button" className="danger" disabled={reset.isPending} onClick={run}>
              Reset the demo
            </button>
          </div>
        </div>
      </Dialog>
      {stepUp.dialog}
    </>
  );
}
