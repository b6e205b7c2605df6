import { useId, useState, type FormEvent } from 'react';
import { useManagedServers } from '../../servers/api/managed-servers';
import { checkTags, parseTags, SERVER_TAG_RULE } from '../../../lib/server-tags';

/**
 * Which servers an operator may use: every one, or those with one of some tags (support for one
 * datacenter, say). The BFF applies it to every server list and WHM call.
 */
export function ServerTagsForm({
  name,
  serverTags,
  onCancel,
  onSubmit,
}: {
  name: string;
  serverTags: string[] | null;
  onCancel: () => void;
  onSubmit: (serverTags: string[] | null) => void;
}) {
  const [limited, setLimited] = useState(serverTags !== null);
  const [text, setText] = useState((serverTags ?? []).join(' '));
  const [problem, setProblem] = useState<string | undefined>();
  const servers = useManagedServers();
  const ids = useId();
  const inUse = [...new Set(servers.data?.servers.flatMap((s) => s.tags) ?? [])].sort();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!limited) {
      onSubmit(null);
      return;
    }
    const found =
      checkTags(text) ?? (parseTags(text).length === 0 ? 'Give at least one tag.' : undefined);
    setProblem(found);
    if (!found) onSubmit(parseTags(text));
  }

  return (
    <form className="stack" onSubmit={submit} noValidate aria-label={`Servers of ${name}`}>
      <fieldset className="stack">
        <legend>Which WHM servers may {name} use?</legend>
        <label className="field inline">
          <input
            type="radio"
            name="scope"
            checked={!limited}
            onChange={() => {
              setLimited(false);
              setProblem(undefined);
            }}
          />
          <span>Every server</span>
        </label>
        <label className="field inline">
          <input type="radio" name="scope" checked={limited} onChange={() => setLimited(true)} />
          <span>Only servers with one of these tags</span>
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${ids}-tags`}>Server tags</label>
        <input
          id={`${ids}-tags`}
          name="serverTags"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          disabled={!limited}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${ids}-hint${problem ? ` ${ids}-error` : ''}`}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setProblem(undefined);
          }}
        />
        <p id={`${ids}-hint`} className="muted small">
          Separated by spaces. {SERVER_TAG_RULE}
          {inUse.length > 0 ? ` Tags on the servers now: ${inUse.join(', ')}.` : ''}
        </p>
        {problem ? (
          <p id={`${ids}-error`} className="field-error">
            {problem}
          </p>
        ) : null}
      </div>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary">
          Save servers
        </button>
      </div>
    </form>
  );
}

/** "every server", or the tags it is limited to. */
export function describeServerTags(serverTags: string[] | null | undefined): string {
  return serverTags ? `tagged ${serverTags.join(', ')}` : 'every server';
}
