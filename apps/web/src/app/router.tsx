import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router';
import { paths } from '../config/paths';
import { Loading } from '../components/ui/loading';
import { AppShell } from './layout/app-shell';
import { RequireRole } from './layout/require-role';
import { loadAccountsRoute } from './routes/accounts-chunk';
import { HomeRoute } from './routes/home';
import { LoginRoute } from './routes/login';
import { NotFoundRoute } from './routes/not-found';

// Support reads the records of its own actions (the BFF limits what it gets).
const AUDIT_READERS = ['admin', 'support'] as const;

// Sign-in is in the first download; everything else loads when visited, the accounts list as
// soon as the shell or the sign-in page shows (accounts-chunk.ts).
const AccountsRoute = lazy(loadAccountsRoute);
// The fleet screen carries the chart library: loaded when visited.
const FleetRoute = lazy(() => import('./routes/fleet'));
const PolicyRoute = lazy(() => import('./routes/policy'));
const IssuerRoute = lazy(() => import('./routes/issuer'));
const EnrollRoute = lazy(() => import('./routes/enroll'));
const AuditRoute = lazy(() => import('./routes/audit'));
const OperatorsRoute = lazy(() => import('./routes/operators'));
const ServersRoute = lazy(() => import('./routes/servers'));
const MeRoute = lazy(() => import('./routes/me'));
const MailRoute = lazy(() => import('./routes/mail'));
const MailboxRoute = lazy(() => import('./routes/mailbox'));
const RemindersRoute = lazy(() => import('./routes/reminders'));
// Once per console's life: the first admin.
const SetupRoute = lazy(() => import('./routes/setup'));

export function AppRoutes() {
  return (
    <Routes>
      <Route path={paths.login} element={<LoginRoute />} />
      <Route
        path={paths.setup}
        element={
          <Suspense fallback={<Loading label="Loading…" />}>
            <SetupRoute />
          </Suspense>
        }
      />
      <Route element={<AppShell />}>
        <Route index element={<HomeRoute />} />
        <Route path={paths.fleet} element={<FleetRoute />} />
        <Route path={paths.accounts} element={<AccountsRoute />} />
        <Route path={paths.policy} element={<PolicyRoute />} />
        <Route path={paths.issuer} element={<IssuerRoute />} />
        <Route
          path={paths.enroll}
          element={
            <RequireRole role="admin" what="Enrolling the WHM user">
              <EnrollRoute />
            </RequireRole>
          }
        />
        <Route
          path={paths.audit}
          element={
            <RequireRole role={AUDIT_READERS} what="The audit log">
              <AuditRoute />
            </RequireRole>
          }
        />
        <Route
          path={paths.operators}
          element={
            <RequireRole role="admin" what="Managing operators">
              <OperatorsRoute />
            </RequireRole>
          }
        />
        <Route
          path={paths.mail}
          element={
            <RequireRole role="admin" what="Mail">
              <MailRoute />
            </RequireRole>
          }
        />
        <Route
          path={paths.reminders}
          element={
            <RequireRole role="admin" what="Enrollment reminders">
              <RemindersRoute />
            </RequireRole>
          }
        />
        <Route path={paths.mailbox} element={<MailboxRoute />} />
        <Route
          path={paths.servers}
          element={
            <RequireRole role="admin" what="Managing WHM servers">
              <ServersRoute />
            </RequireRole>
          }
        />
        <Route path={paths.me} element={<MeRoute />} />
        <Route path="*" element={<NotFoundRoute />} />
      </Route>
    </Routes>
  );
}
