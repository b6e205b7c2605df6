import { UPSTREAM_DOWN_CODES, type ApiError } from '../../lib/api-client';

interface ErrorPanelProps {
  error: ApiError;
  onRetry?: () => void;
  title?: string;
}

/** A failure as the BFF explains it (carrying WHM's reason), with a way to try again. */
export function ErrorPanel({ error, onRetry, title }: ErrorPanelProps) {
  const upstreamDown = UPSTREAM_DOWN_CODES.includes(error.code);
  return (
    <div className="error-panel" role="alert">
      <p className="error-title">
        {upstreamDown ? 'WHM server unreachable' : (title ?? 'Something went wrong')}
      </p>
      <p>{error.message}</p>
      {error.requestId ? <p className="muted small">Request ID: {error.requestId}</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** A form's error: the message only, tied to the form by the caller. */
export function FormError({ error, id }: { error: ApiError | null; id?: string }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert" id={id}>
      {error.message}
    </p>
  );
}
