import { Suspense, type ReactNode } from 'react';
import { Link, Navigate, NavLink, Outlet, useLocation } from 'react-router';
import { PageErrorBoundary } from '../../components/ui/error-boundary';
import { ErrorPanel } from '../../components/ui/error-panel';
import { Loading } from '../../components/ui/loading';
import { useToast } from '../../components/ui/toast';
import { navItems, paths } from '../../config/paths';
import { PRODUCT_NAME } from '../../config/product';
import { useSession, useSignOut, type Session } from '../../lib/auth';
import { OperatorContext, useOperator } from '../../lib/operator';
import { ServerProvider, useServerChoice } from '../../lib/servers';
import { usePreloadAccountsRoute } from '../routes/accounts-chunk';
import { useSessionWatch, useUpstreamDown } from './use-session-watch';
import { HostedDemoBanner } from '../../features/demo/hosted-demo';
import { useSignInInfo } from '../../features/auth/api/get-sign-in-info';

/** Everything behind sign-in: the session check, the navigation, the server switcher. */
export function AppShell() {
  const session = useSession();
  const location = useLocation();
  useSessionWatch();
  usePreloadAccountsRoute();

  if (session.isPending) return <Loading label="Checking your session…" />;
  if (session.isError) {
    return (
      <main className="page">
        <ErrorPanel error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  if (!session.data || session.data.mustEnrollTotp) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`${paths.login}?next=${encodeURIComponent(next)}`} replace />;
  }
  return (
    <OperatorContext value={session.data.operator}>
      <ServerProvider>
        <Header session={session.data} />
        <HostedDemoBanner isAdmin={session.data.operator.role === 'admin'} />
        <UpstreamBanner />
        <main className="page" id="main">
          <ServerGate>
            <PageErrorBoundary key={location.pathname}>
              <Suspense fallback={<Loading label="Loading…" />}>
                <Outlet />
              </Suspense>
            </PageErrorBoundary>
          </ServerGate>
        </main>
      </ServerProvider>
    </OperatorContext>
  );
}

function Header({ session }: { session: Session }) {
  const signOut = useSignOut();
  const toast = useToast();
  const { operator } = session;
  // The demo's mailbox exists in demo mode (what sign-in already knows, kept across sign-outs).
  const demo = Boolean(useSignInInfo().data?.demo);
  const items = navItems.filter(
    (item) => item.roles.includes(operator.role) && (!item.demoOnly || demo),
  );
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="brand">{PRODUCT_NAME}</div>
      <nav aria-label="Main">
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to}>{item.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <div className="header-tools">
        <ServerSwitcher />
        <span className="who">
          {operator.username} <span className="badge">{operator.role}</span>
        </span>
        <button
          type="button"
          onClick={() =>
            signOut.mutate(undefined, {
              onError: (error) => toast(`Sign-out failed: ${error.message}`),
            })
          }
          disabled={signOut.isPending}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}

function ServerSwitcher() {
  const { servers, server, choose } = useServerChoice();
  if (servers.length < 2) {
    if (!server) return null;
    return (
      <span className="server-label" data-testid="server-label">
        <span className="muted">WHM server</span> {server.label}
        {server.demo ? <span className="badge demo">Demo data</span> : null}
      </span>
    );
  }
  return (
    <label className="server-switcher">
      <span>WHM server</span>
      <select value={server?.id ?? ''} onChange={(event) => choose(event.target.value)}>
        {servers.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
            {s.demo ? ' (demo)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Pages talk to one WHM server: they wait until the list of servers says which. */
function ServerGate({ children }: { children: ReactNode }) {
  const { status, server } = useServerChoice();
  const location = useLocation();
  if (status.isError) {
    return <ErrorPanel error={status.error} onRetry={() => void status.refetch()} />;
  }
  if (status.isPending) return <Loading label="Loading WHM servers…" />;
  if (!server && !SERVERLESS_PATHS.has(location.pathname)) return <NoServer />;
  return children;
}

/** Screens that work without a WHM server: where one is added, and the console's own. */
const SERVERLESS_PATHS: ReadonlySet<string> = new Set([
  paths.servers,
  paths.operators,
  paths.me,
  paths.mail,
  paths.mailbox,
  paths.audit,
  paths.fleet,
]);

function NoServer() {
  const operator = useOperator();
  return (
    <div className="empty stack">
      <p>No WHM server is configured that your operator may use.</p>
      {operator.role === 'admin' ? (
        <p>
          <Link to={paths.servers}>Add a WHM server</Link>, or ask an admin who may use all servers.
        </p>
      ) : (
        <p>Ask an admin to add one, or to let your operator use one.</p>
      )}
    </div>
  );
}

function UpstreamBanner() {
  const down = useUpstreamDown();
  const { servers, server } = useServerChoice();
  if (!down) return null;
  const labels = down.servers.map(
    (id) => servers.find((s) => s.id === id)?.label ?? server?.label ?? 'WHM',
  );
  const names = [...new Set(labels)].map((label) => `“${label}”`).join(', ');
  return (
    <div className="banner" role="alert">
      WHM server {names} unreachable: the console cannot reach it right now.{' '}
      {down.dataShown
        ? 'Data shown may be out of date.'
        : 'No data from it can be shown until it answers.'}
    </div>
  );
}
