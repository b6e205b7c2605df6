import { useCallback, useState, type ReactNode } from 'react';
import { isApiError, type ApiError } from '../lib/api-client';
import { useOperator } from '../lib/operator';
import { StepUpForm } from './step-up-form';
import { Dialog } from './ui/dialog';

export interface StepUpGate {
  /**
   * An `onError` for a mutation: when the BFF answers `step_up_required`, the step-up form opens
   * and, once it is confirmed, `retry` runs the same call again.
   */
  onError: (retry: () => void) => (error: unknown) => void;
  /** The dialog holding the step-up form: render it once, anywhere in the screen. */
  dialog: ReactNode;
}

/** For screens whose actions the BFF guards with step-up (operators, settings). */
export function useStepUpGate(): StepUpGate {
  const operator = useOperator();
  const [retry, setRetry] = useState<(() => void) | null>(null);
  const onError = useCallback(
    (next: () => void) => (error: unknown) => {
      if (isApiError(error, 'step_up_required')) setRetry(() => next);
    },
    [],
  );
  const dialog = (
    <Dialog open={retry !== null} onClose={() => setRetry(null)} title="Confirm it is you">
      <StepUpForm
        totpEnabled={operator.totpEnabled}
        onVerified={() => {
          setRetry(null);
          retry?.();
        }}
        onCancel={() => setRetry(null)}
      />
    </Dialog>
  );
  return { onError, dialog };
}

/** A mutation's error worth showing: "step up first" is handled by the gate, not shown. */
export function shownError(error: ApiError | null): ApiError | null {
  return isApiError(error, 'step_up_required') ? null : error;
}
