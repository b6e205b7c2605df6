import { useId, useState, type FormEvent } from 'react';
import { shownError, useStepUpGate } from '../../../components/step-up-gate';
import { Dialog } from '../../../components/ui/dialog';
import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useToast } from '../../../components/ui/toast';
import type { ApiError } from '../../../lib/api-client';
import { useOperator } from '../../../lib/operator';
import { useOperators } from '../api/get-operators';
import { useSettings, type ConsoleSettings } from '../api/get-settings';
import { useUpdateSettings, type SettingsChange } from '../api/update-settings';

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** Requiring TOTP for every operator, with the grace period for those who have none yet. */
export function TotpRequirement() {
  const settings = useSettings();
  const toast = useToast();
  // Here, not in the form below: the form remounts with each saved value, and a mutation's
  // callbacks (the toast, the retry after step-up) must outlive that.
  const update = useUpdateSettings();
  const stepUp = useStepUpGate();
  if (settings.isError) {
    return <ErrorPanel error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  if (!settings.data) return <Loading label="Loading settings…" />;

  function save(change: SettingsChange, done: string) {
    const run = () =>
      update.mutate(change, { onSuccess: () => toast(done), onError: stepUp.onError(run) });
    run();
  }

  return (
    <>
      <TotpRequirementForm
        key={JSON.stringify(settings.data)}
        settings={settings.data}
        save={save}
        busy={update.isPending}
        error={shownError(update.error)}
      />
      {stepUp.dialog}
    </>
  );
}

function TotpRequirementForm({
  settings,
  save,
  busy,
  error,
}: {
  settings: ConsoleSettings;
  save: (change: SettingsChange, done: string) => void;
  busy: boolean;
  error: ApiError | null;
}) {
  const self = useOperator();
  const operators = useOperators();
  const [confirming, setConfirming] = useState(false);
  const [graceDays, setGraceDays] = useState(String(settings.totpGraceDays));
  const graceId = useId();
  const required = settings.requireOperatorTotp;
  const grace = Number(graceDays);
  const graceValid = graceDays !== '' && Number.isInteger(grace) && grace >= 0 && grace <= 90;
  // Operators the identity provider signs in are not asked for the console's TOTP.
  const without = (operators.data?.operators ?? []).filter(
    (o) => !o.totpEnabled && !o.disabled && !o.sso,
  );

  function saveGrace(event: FormEvent) {
    event.preventDefault();
    if (!graceValid) return;
    save(
      { requireOperatorTotp: required, totpGraceDays: grace },
      `The grace period is ${days(grace)}.`,
    );
  }

  return (
    <section className="card stack" aria-labelledby="settings-title">
      <h2 id="settings-title">Sign-in policy</h2>
      <label className="field inline">
        <input
          type="checkbox"
          checked={required}
          disabled={busy}
          onChange={(event) => {
            if (event.target.checked) setConfirming(true);
            else save({ requireOperatorTotp: false }, 'TOTP is now optional for operators.');
          }}
        />
        <span>Require TOTP for every operator</span>
      </label>
      <p className="muted small">
        Operators without TOTP can still sign in for {days(settings.totpGraceDays)} after it is
        required (or after an admin resets their password); they must set it up before they can do
        anything else. After that, they cannot sign in until an admin resets their password.
        {self.totpEnabled ? '' : ' Set up your own first, under My account.'}
      </p>
      <form className="filters" onSubmit={saveGrace} aria-label="Grace period">
        <label className="field">
          <span>Grace period in days</span>
          <input
            type="number"
            inputMode="numeric"
            min={0}
            max={90}
            required
            aria-describedby={graceId}
            value={graceDays}
            onChange={(event) => setGraceDays(event.target.value)}
          />
        </label>
        <div className="actions">
          <button type="submit" disabled={!graceValid || grace === settings.totpGraceDays || busy}>
            Save grace period
          </button>
        </div>
      </form>
      <p id={graceId} className="muted small">
        0 to 90 days. A longer one needs you to confirm it is you.
      </p>
      {settings.ssoConfigured ? (
        <>
          <label className="field inline">
            <input
              type="checkbox"
              checked={settings.localSignInAdminsOnly === true}
              disabled={busy}
              onChange={(event) =>
                save(
                  { requireOperatorTotp: required, localSignInAdminsOnly: event.target.checked },
                  event.target.checked
                    ? 'Only admins can sign in with a console password now.'
                    : 'Every operator can sign in with a console password again.',
                )
              }
            />
            <span>Console passwords for admins only</span>
          </label>
          <p className="muted small">
            Support and viewer operators then sign in with single sign-on only; admins keep their
            console passwords to get in when the identity provider is down. Operators made by single
            sign-on use the provider&apos;s second factor, not the console&apos;s TOTP.
          </p>
        </>
      ) : null}
      <FormError error={error} />
      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Require TOTP for every operator?"
      >
        <div className="stack">
          {without.length === 0 ? (
            <p>Every active operator has TOTP already.</p>
          ) : (
            <>
              <p>
                {without.length} {without.length === 1 ? 'operator has' : 'operators have'} no TOTP
                yet. They can sign in for {days(settings.totpGraceDays)} and are made to set it up
                first; after that they are locked out until an admin resets their password.
              </p>
              <ul className="name-list" aria-label="Operators without TOTP">
                {without.map((o) => (
                  <li key={o.id}>{o.username}</li>
                ))}
              </ul>
            </>
          )}
          <div className="actions">
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setConfirming(false);
                save({ requireOperatorTotp: true }, 'Operators must now use TOTP.');
              }}
            >
              Require TOTP
            </button>
          </div>
        </div>
      </Dialog>
    </section>
  );
}
