import { FormError } from '../../../components/ui/error-panel';
import type { ApiError } from '../../../lib/api-client';
import type { ConnectionProblem, ConnectionTest } from '../api/managed-servers';

/** What each failed test means, in the operator's words (the BFF adds the particulars). */
export const PROBLEM_WORDS: Record<ConnectionProblem, string> = {
  dns: 'DNS: the host name does not resolve',
  refused: 'Connection refused: nothing answers on that address and port',
  network: 'Network error: the connection failed',
  tls: 'TLS: the certificate was not accepted (give its CA certificate?)',
  unauthorized: 'Unauthorized (401/403): WHM refused the user or the token',
  whm_refused: 'WHM refused the call',
  not_whm: 'Not WHM: this address does not answer like WHM',
  too_slow: 'Too slow: WHM did not answer in time',
};

/** A connection test's answer, or why the BFF would not run it. */
export function ConnectionResult({
  result,
  error,
  pending,
}: {
  result: ConnectionTest | undefined;
  error: ApiError | null;
  pending: boolean;
}) {
  if (pending) {
    return (
      <p role="status" className="muted">
        Testing the connection…
      </p>
    );
  }
  if (error) return <FormError error={error} />;
  if (!result) return null;
  if (result.ok) {
    return (
      <p role="status" className="success">
        Connected in {result.ms} ms: WHM answers, its 2FA policy is{' '}
        {result.policyEnabled ? 'on' : 'off'}.
      </p>
    );
  }
  return (
    <div className="form-error connection-failed" role="alert">
      <p>
        <strong>Failed: {PROBLEM_WORDS[result.problem]}.</strong>
      </p>
      <p>{result.message}</p>
    </div>
  );
}
