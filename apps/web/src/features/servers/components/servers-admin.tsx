import { useCallback, useId, useState } from 'react';
import { Dialog } from '../../../components/ui/dialog';
import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useManagedServers, type ManagedServer } from '../api/managed-servers';
import { ServerForm } from './server-form';
import { ServersTable } from './servers-table';

/** Which form is open: none, a new server's, or an edit of one. */
type Editing = null | { server?: ManagedServer };

/** The WHM servers the console uses: those of the file and the demo as they are, its own to change. */
export function ServersAdmin() {
  const list = useManagedServers();
  const [editing, setEditing] = useState<Editing>(null);
  const noKeyId = useId();
  const edit = useCallback((server: ManagedServer) => setEditing({ server }), []);
  const close = useCallback(() => setEditing(null), []);
  const canStore = list.data?.canStore ?? false;

  return (
    <div className="stack">
      <div className="toolbar">
        <h1>WHM servers</h1>
        <button
          type="button"
          className="primary"
          disabled={!canStore}
          aria-describedby={list.data && !canStore ? noKeyId : undefined}
          onClick={() => setEditing({})}
        >
          Add a server
        </button>
      </div>
      <p className="muted">
        Servers added here are stored with their API token encrypted; the token is never shown
        again. Every change asks you to confirm it is you and is recorded in the audit log.
      </p>
      {list.data && !canStore ? (
        <p id={noKeyId} className="banner">
          Servers cannot be added here yet: set CONSOLE_SECRET_KEY_FILE first (docs/servers.md); the
          console stores WHM tokens only encrypted under that key.
        </p>
      ) : null}
      {list.isError ? (
        <ErrorPanel error={list.error} onRetry={() => void list.refetch()} />
      ) : !list.data ? (
        <Loading label="Loading WHM servers…" />
      ) : list.data.servers.length === 0 ? (
        <p className="empty">No WHM server yet. Add the first one.</p>
      ) : (
        <section className="card" aria-label="Servers">
          <ServersTable servers={list.data.servers} onEdit={edit} />
        </section>
      )}
      <Dialog
        open={editing !== null}
        onClose={close}
        title={editing?.server ? `Edit ${editing.server.label}` : 'Add a WHM server'}
      >
        {editing ? <ServerForm server={editing.server} onDone={close} onCancel={close} /> : null}
      </Dialog>
    </div>
  );
}
