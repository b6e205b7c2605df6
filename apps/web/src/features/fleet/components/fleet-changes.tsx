import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { shownError, useStepUpGate } from '../../../components/step-up-gate';
import { FormError } from '../../../components/ui/error-panel';
import { api, apiLines, type ApiError } from '../../../lib/api-client';
import { fleetKeys, type FleetServer } from '../api/fleet';

type Action = 'enable_policy' | 'disable_policy' | 'set_issuer';
type Target = { all: true } | { tag: string } | { servers: string[] };

interface Preview {
  servers: {
    server: string;
    label: string;
    change: 'change' | 'already' | 'unknown';
    reason?: string;
  }[];
}
interface ResultLine {
  type: 'result' | 'done';
  server?: string;
  label?: string;
  result?: 'changed' | 'already' | 'failed';
  reason?: string;
  changed?: number;
  already?: number;
  failed?: number;
}

const ACTION_TEXT: Record<Action, string> = {
  enable_policy: 'Turn the 2FA policy on',
  disable_policy: 'Turn the 2FA policy off',
  set_issuer: 'Set the issuer',
};

/**
 * A change on many servers at once (admin): a preview read live, then the writes, each server's
 * result as it comes, and a retry of the ones that failed. Step-up before the writes.
 */
export function FleetChanges({ servers }: { servers: FleetServer[] }) {
  const queryClient = useQueryClient();
  const stepUp = useStepUpGate();
  const formId = useId();
  const [action, setAction] = useState<Action>('enable_policy');
  const [issuer, setIssuer] = useState('');
  const [tag, setTag] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [results, setResults] = useState<ResultLine[]>([]);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const tags = [...new Set(servers.flatMap((s) => s.tags))].sort();
  const target: Target = tag ? { tag } : { all: true };
  const body = (over: Target) => ({
    action,
    target: over,
    ...(action === 'set_issuer' ? { issuer } : {}),
  });

  async function showPreview(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setResults([]);
    try {
      setPreview(
        await api<Preview>('/api/fleet/changes', {
          method: 'POST',
          body: { ...body(target), preview: true },
        }),
      );
    } catch (caught) {
      setError(caught as ApiError);
    }
  }

  function run(over: Target) {
    const go = async () => {
      setRunning(true);
      setError(null);
      setResults([]);
      try {
        await apiLines<ResultLine>(
          '/api/fleet/changes',
          { method: 'POST', body: body(over) },
          (line) => setResults((seen) => [...seen, line]),
        );
        await queryClient.invalidateQueries({ queryKey: fleetKeys.summary() });
      } catch (caught) {
        stepUp.onError(() => void go())(caught);
        setError(caught as ApiError);
      } finally {
        setRunning(false);
      }
    };
    void go();
  }

  const counts = preview
    ? {
        change: preview.servers.filter((s) => s.change === 'change').length,
        already: preview.servers.filter((s) => s.change === 'already').length,
        unknown: preview.servers.filter((s) => s.change === 'unknown').length,
      }
    : null;
  const done = results.find((line) => line.type === 'done');
  const failed = results.filter((line) => line.result === 'failed');

  return (
    <section aria-labelledby={`${formId}-heading`} className="card stack">
      <h2 id={`${formId}-heading`}>Change many servers</h2>
      <form
        className="filters"
        aria-label="Fleet-wide change"
        onSubmit={(event) => void showPreview(event)}
      >
        <label className="field">
          <span>Change</span>
          <select
            value={action}
            onChange={(event) => {
              setAction(event.target.value as Action);
              setPreview(null);
            }}
          >
            {(Object.keys(ACTION_TEXT) as Action[]).map((key) => (
              <option key={key} value={key}>
                {ACTION_TEXT[key]}
              </option>
            ))}
          </select>
        </label>
        {action === 'set_issuer' ? (
          <label className="field">
            <span>Issuer</span>
            <input
              value={issuer}
              required
              maxLength={200}
              onChange={(event) => setIssuer(event.target.value)}
            />
          </label>
        ) : null}
        <label className="field">
          <span>On</span>
          <select
            value={tag}
            onChange={(event) => {
              setTag(event.target.value);
              setPreview(null);
            }}
          >
            <option value="">every server</option>
            {tags.map((t) => (
              <option key={t} value={t}>
                servers tagged {t}
              </option>
            ))}
          </select>
        </label>
        <div className="actions">
          <button type="submit" disabled={running}>
            Preview
          </button>
        </div>
      </form>
      {preview && counts ? (
        <div className="stack" role="region" aria-label="Preview">
          <p>
            {ACTION_TEXT[action]}: changes {counts.change}{' '}
            {counts.change === 1 ? 'server' : 'servers'}, {counts.already} already so
            {counts.unknown > 0 ? `, ${counts.unknown} not reachable now` : ''}.
          </p>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={running || counts.change + counts.unknown === 0}
              onClick={() => run(target)}
            >
              {running
                ? 'Changing…'
                : `Apply to ${preview.servers.length} ${preview.servers.length === 1 ? 'server' : 'servers'}`}
            </button>
          </div>
        </div>
      ) : null}
      {results.length > 0 ? (
        <div className="stack" role="region" aria-label="Results">
          <ul aria-label="Per-server results">
            {results
              .filter((line) => line.type === 'result')
              .map((line) => (
                <li key={line.server}>
                  {line.label}:{' '}
                  {line.result === 'changed'
                    ? 'changed'
                    : line.result === 'already'
                      ? 'already so'
                      : `failed (${line.reason ?? 'unknown'})`}
                </li>
              ))}
          </ul>
          {done ? (
            <p role="status">
              Done: {done.changed} changed, {done.already} already so, {done.failed} failed.
            </p>
          ) : null}
          {done && failed.length > 0 ? (
            <button
              type="button"
              disabled={running}
              onClick={() => run({ servers: failed.map((line) => line.server ?? '') })}
            >
              Retry the {failed.length} failed
            </button>
          ) : null}
        </div>
      ) : null}
      <FormError error={shownError(error)} />
      {stepUp.dialog}
    </section>
  );
}
