import { useId, useState, type FormEvent } from 'react';
import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useToast } from '../../../components/ui/toast';
import { ADMIN_ONLY, canAdminister } from '../../../lib/authorization';
import { useOperator } from '../../../lib/operator';
import { useServerId } from '../../../lib/servers';
import { useIssuer } from '../api/get-issuer';
import { useServerHostname } from '../api/get-server-hostname';
import { useSetIssuer } from '../api/set-issuer';
import { checkIssuer } from '../hooks/validate-issuer';

/** The account name authenticator apps show next to the issuer; the console acts as root. */
const PREVIEW_ACCOUNT = 'root';

export function IssuerEditor() {
  const server = useServerId();
  const operator = useOperator();
  const issuer = useIssuer(server);
  const hostname = useServerHostname(server);

  if (issuer.isError) {
    return <ErrorPanel error={issuer.error} onRetry={() => void issuer.refetch()} />;
  }
  if (!issuer.data) return <Loading label="Loading the issuer…" />;

  const { issuer: current, system_wide_issuer: systemWide } = issuer.data.data;
  return (
    <div className="stack">
      <h1>Issuer</h1>
      <section className="card stack" aria-labelledby="issuer-current">
        <h2 id="issuer-current">Current values</h2>
        <dl className="facts">
          <dt>Issuer authenticator apps show</dt>
          <dd data-testid="issuer-current">{current}</dd>
          <dt>System-wide default</dt>
          <dd data-testid="issuer-system">{systemWide}</dd>
        </dl>
      </section>
      <IssuerForm
        server={server}
        current={current}
        serverDefault={hostname.data ?? systemWide}
        allowed={canAdminister(operator.role)}
      />
    </div>
  );
}

interface IssuerFormProps {
  server: string;
  current: string;
  /** What an empty issuer resets to: the server's hostname. */
  serverDefault: string;
  allowed: boolean;
}

function IssuerForm({ server, current, serverDefault, allowed }: IssuerFormProps) {
  const toast = useToast();
  const save = useSetIssuer(server);
  const [raw, setRaw] = useState(current);
  const hintId = useId();
  const problemId = useId();
  const check = checkIssuer(raw);
  const shown = check.valid && !check.resets ? check.value : serverDefault;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!check.valid) return;
    save.mutate(check.value, {
      onSuccess: () =>
        toast(check.resets ? `Issuer reset to ${serverDefault}.` : `Issuer set to ${check.value}.`),
    });
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Change the issuer">
      <h2>Change the issuer</h2>
      <label className="field">
        <span>New issuer</span>
        <input
          name="issuer"
          value={raw}
          disabled={!allowed}
          aria-invalid={!check.valid || undefined}
          aria-describedby={`${hintId}${check.valid ? '' : ` ${problemId}`}`}
          onChange={(event) => setRaw(event.target.value)}
        />
      </label>
      <p id={hintId} className="muted small">
        1 to 32 letters, digits, spaces, &quot;.&quot;, &quot;_&quot; or &quot;-&quot;, not only
        spaces. Leave it empty to reset to the server&apos;s default ({serverDefault}).
      </p>
      <p className="muted small" data-testid="issuer-existing-entries">
        Only new setups use the new issuer: entries already in authenticator apps keep the name they
        were created with.
      </p>
      {check.valid ? null : (
        <p id={problemId} className="form-error" role="alert">
          {check.problem}
        </p>
      )}
      <div aria-live="polite">
        <p className="muted small">How an authenticator app will list it:</p>
        <div className="preview" data-testid="issuer-preview">
          <div>
            <div className="preview-name">
              {shown} ({PREVIEW_ACCOUNT})
            </div>
            <div className="preview-code" aria-hidden="true">
              123 456
            </div>
          </div>
        </div>
        {check.valid && check.resets ? (
          <p className="muted small">Empty: WHM goes back to its default, {serverDefault}.</p>
        ) : null}
      </div>
      <FormError error={save.error} />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={!allowed || !check.valid || save.isPending}
          aria-describedby={allowed ? undefined : 'issuer-denied'}
        >
          {save.isPending ? 'Saving…' : check.valid && check.resets ? 'Reset to default' : 'Save'}
        </button>
      </div>
      {allowed ? null : (
        <p id="issuer-denied" className="muted small">
          {ADMIN_ONLY}
        </p>
      )}
    </form>
  );
}
