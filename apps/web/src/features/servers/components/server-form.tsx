import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { shownError, useStepUpGate } from '../../../components/step-up-gate';
import { FormError } from '../../../components/ui/error-panel';
import { useToast } from '../../../components/ui/toast';
import { isApiError } from '../../../lib/api-client';
import { parseTags } from '../../../lib/server-tags';
import {
  useAddServer,
  useTestConnection,
  useUpdateServer,
  type ConnectionToTest,
  type ManagedServer,
  type ServerChange,
} from '../api/managed-servers';
import {
  checkCa,
  checkToken,
  checkUrl,
  checkUser,
  formFieldOf,
  idFromLabel,
  validateServer,
  type FieldErrors,
  type ServerDraft,
  type ServerField,
} from '../hooks/validate-server';
import { ConnectionResult } from './connection-result';

function draftOf(server: ManagedServer | undefined): ServerDraft {
  return {
    id: server?.id ?? '',
    label: server?.label ?? '',
    url: server?.url ?? '',
    user: server?.user ?? 'root',
    token: '',
    ca: '',
    tags: server?.tags.join(' ') ?? '',
  };
}

/** The same origin however it was typed (a trailing slash, upper-case host), else the text. */
function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a.trim()).origin === new URL(b.trim()).origin;
  } catch {
    return a.trim() === b.trim();
  }
}

/** What an edit changes, field by field: the BFF gets only those (and refuses an empty change). */
function changeOf(server: ManagedServer, draft: ServerDraft, removeCa: boolean): ServerChange {
  const change: ServerChange = {};
  const label = draft.label.trim();
  const tags = parseTags(draft.tags);
  if (label !== server.label) change.label = label;
  if (!sameOrigin(draft.url, server.url)) change.url = draft.url.trim();
  if (draft.user.trim() !== server.user) change.user = draft.user.trim();
  if (draft.token.trim()) change.token = draft.token.trim();
  if (draft.ca.trim()) change.ca = draft.ca.trim();
  else if (removeCa) change.ca = null;
  if (tags.join(' ') !== server.tags.join(' ')) change.tags = tags;
  return change;
}

/**
 * Adding a server, or editing one the console manages. The token is write-only: never shown back,
 * and left empty on an edit it stays as stored. "Test connection" tries what is typed, before
 * anything is saved.
 */
export function ServerForm({
  server,
  onDone,
  onCancel,
}: {
  /** Absent: a new server. */
  server?: ManagedServer;
  onDone: () => void;
  onCancel: () => void;
}) {
  const editing = server !== undefined;
  const toast = useToast();
  const stepUp = useStepUpGate();
  const add = useAddServer();
  const update = useUpdateServer();
  const test = useTestConnection();
  const [draft, setDraft] = useState(() => draftOf(server));
  const [idTouched, setIdTouched] = useState(false);
  const [removeCa, setRemoveCa] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [nothingToChange, setNothingToChange] = useState(false);
  const ids = useId();
  const save = editing ? update : add;

  function set(field: keyof ServerDraft, value: string) {
    setDraft((current) => {
      const next = { ...current, [field]: value };
      // The id follows the label until someone types one of their own.
      if (field === 'label' && !editing && !idTouched) next.id = idFromLabel(value);
      return next;
    });
    setErrors((current) => ({ ...current, [field]: undefined }));
    setNothingToChange(false);
    // A test's answer is about what was typed then: it must not vouch for the new text.
    if (field !== 'label' && field !== 'id' && field !== 'tags') test.reset();
  }

  /** A BFF 400 naming one of the form's fields shows at that field; the rest under the form. */
  function showAtField(error: unknown): boolean {
    if (!isApiError(error, 'invalid_params', 'conflict')) return false;
    const field = formFieldOf(error.field);
    if (!field) return false;
    setErrors((current) => ({ ...current, [field]: error.message }));
    return true;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = validateServer(draft, editing);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const tags = parseTags(draft.tags);
    if (server) {
      const change = changeOf(server, draft, removeCa);
      if (Object.keys(change).length === 0) {
        setNothingToChange(true);
        return;
      }
      const run = () =>
        update.mutate(
          { id: server.id, change },
          {
            onSuccess: ({ server: saved }) => {
              toast(`${saved.label} is saved.`);
              onDone();
            },
            onError: (error) => {
              showAtField(error);
              stepUp.onError(run)(error);
            },
          },
        );
      run();
      return;
    }
    const input = {
      id: draft.id.trim(),
      label: draft.label.trim(),
      url: draft.url.trim(),
      user: draft.user.trim(),
      token: draft.token.trim(),
      ...(draft.ca.trim() ? { ca: draft.ca.trim() } : {}),
      tags,
    };
    const run = () =>
      add.mutate(input, {
        onSuccess: ({ server: saved }) => {
          toast(`${saved.label} is added.`);
          onDone();
        },
        onError: (error) => {
          showAtField(error);
          stepUp.onError(run)(error);
        },
      });
    run();
  }

  function testConnection() {
    const found: FieldErrors = {
      url: checkUrl(draft.url),
      user: checkUser(draft.user),
      token: checkToken(draft.token, editing),
      ca: checkCa(draft.ca),
    };
    const problems = Object.fromEntries(Object.entries(found).filter(([, m]) => m));
    setErrors((current) => ({ ...current, ...found }));
    if (Object.keys(problems).length > 0) {
      test.reset();
      return;
    }
    const token = draft.token.trim();
    const connection: ConnectionToTest = {
      url: draft.url.trim(),
      user: draft.user.trim(),
      // Without a new token, the stored one: the BFF sends it to the stored URL only.
      ...(token ? { token } : server ? { id: server.id } : {}),
      // Without the stored CA when it is to be removed: the test is of the server as saved.
      ...(draft.ca.trim() ? { ca: draft.ca.trim() } : removeCa ? { ca: null } : {}),
    };
    test.mutate(connection, { onError: showAtField });
  }

  const saveError = shownError(save.error);
  // Shown at its field already: not again under the form.
  const formError =
    saveError && formFieldOf(saveError.field) && errors[formFieldOf(saveError.field)!]
      ? null
      : saveError;
  const testError =
    test.error && formFieldOf(test.error.field) && errors[formFieldOf(test.error.field)!]
      ? null
      : test.error;

  function field(
    name: ServerField,
    label: string,
    control: (props: {
      id: string;
      'aria-invalid': true | undefined;
      'aria-describedby': string | undefined;
    }) => ReactNode,
    hint?: string,
  ) {
    const id = `${ids}-${name}`;
    const error = errors[name];
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        {control({
          id,
          'aria-invalid': error ? true : undefined,
          'aria-describedby':
            [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') ||
            undefined,
        })}
        {hint ? (
          <p id={`${id}-hint`} className="muted small">
            {hint}
          </p>
        ) : null}
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {error}
          </p>
        ) : null}
      </div>
    );
  }

  return (
    <>
      <form
        className="stack server-form"
        noValidate
        onSubmit={submit}
        aria-label={editing ? `Edit ${server.label}` : 'Add a server'}
      >
        {field(
          'label',
          'Label',
          (props) => (
            <input
              {...props}
              name="label"
              autoComplete="off"
              value={draft.label}
              onChange={(e) => set('label', e.target.value)}
            />
          ),
          'What the console calls it, such as “Web 12 (Frankfurt)”.',
        )}
        {editing
          ? null
          : field(
              'id',
              'Id',
              (props) => (
                <input
                  {...props}
                  name="id"
                  autoComplete="off"
                  autoCapitalize="none"
                  spellCheck={false}
                  value={draft.id}
                  onChange={(e) => {
                    setIdTouched(true);
                    set('id', e.target.value);
                  }}
                />
              ),
              'For links and the audit log; it cannot change later. 1 to 32 of a-z, 0-9, “_”, “-”.',
            )}
        {field(
          'url',
          'URL',
          (props) => (
            <input
              {...props}
              name="url"
              type="url"
              inputMode="url"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              placeholder="https://whm.example.com:2087"
              value={draft.url}
              onChange={(e) => set('url', e.target.value)}
            />
          ),
          'Scheme, host and port only.',
        )}
        {field('user', 'User', (props) => (
          <input
            {...props}
            name="user"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={draft.user}
            onChange={(e) => set('user', e.target.value)}
          />
        ))}
        {field(
          'token',
          'API token',
          (props) => (
            <input
              {...props}
              name="token"
              type="password"
              // Not a password to remember or fill in: no password manager should offer one.
              autoComplete="off"
              spellCheck={false}
              value={draft.token}
              onChange={(e) => set('token', e.target.value)}
            />
          ),
          editing
            ? 'Stored encrypted and never shown again. Leave it empty to keep the stored token.'
            : 'Stored encrypted and never shown again (WHM » Manage API Tokens).',
        )}
        {field(
          'ca',
          'CA certificate (optional)',
          (props) => (
            <textarea
              {...props}
              name="ca"
              rows={4}
              spellCheck={false}
              placeholder="-----BEGIN CERTIFICATE-----"
              value={draft.ca}
              onChange={(e) => {
                set('ca', e.target.value);
                if (e.target.value.trim()) setRemoveCa(false);
              }}
            />
          ),
          server?.hasCa
            ? 'A CA certificate is stored. Paste another to replace it, or leave it empty to keep it.'
            : 'PEM, for a server whose certificate is self-signed or from a private CA.',
        )}
        {server?.hasCa ? (
          <label className="field inline">
            <input
              type="checkbox"
              checked={removeCa}
              disabled={draft.ca.trim() !== ''}
              onChange={(e) => {
                setRemoveCa(e.target.checked);
                setNothingToChange(false);
                test.reset();
              }}
            />
            <span>Remove the stored CA certificate</span>
          </label>
        ) : null}
        {field(
          'tags',
          'Tags (optional)',
          (props) => (
            <input
              {...props}
              name="tags"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              placeholder="eu-west production"
              value={draft.tags}
              onChange={(e) => set('tags', e.target.value)}
            />
          ),
          'Separated by spaces; operators can be limited to servers with a tag.',
        )}
        <ConnectionResult result={test.data} error={testError} pending={test.isPending} />
        {nothingToChange ? (
          <p className="form-error" role="alert">
            Nothing is changed yet.
          </p>
        ) : null}
        <FormError error={formError} />
        <div className="actions">
          <button type="button" onClick={onCancel} disabled={save.isPending}>
            Cancel
          </button>
          <button type="button" onClick={testConnection} disabled={test.isPending}>
            Test connection
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : editing ? 'Save changes' : 'Add server'}
          </button>
        </div>
      </form>
      {/* Beside the form, not in it: the step-up is a form of its own. */}
      {stepUp.dialog}
    </>
  );
}
