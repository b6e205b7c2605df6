import { useState, type ReactNode } from 'react';
import { Dialog } from './dialog';

interface ConfirmButtonProps {
  /** The button's label, also its accessible name. */
  label: string;
  /** The dialog's title and the confirming button's label. */
  confirmLabel: string;
  /** What will happen, in the operator's words. */
  children: ReactNode;
  disabled?: boolean;
  busy?: boolean;
  describedBy?: string | undefined;
  title?: string | undefined;
  onConfirm: () => void;
}

/** A button whose action runs only after a confirmation dialog: for actions that disrupt someone. */
export function ConfirmButton({
  label,
  confirmLabel,
  children,
  disabled = false,
  busy = false,
  describedBy,
  title,
  onConfirm,
}: ConfirmButtonProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        disabled={disabled}
        aria-describedby={describedBy}
        title={title}
        onClick={() => setOpen(true)}
      >
        {label}
      </button>
      <Dialog open={open} onClose={() => setOpen(false)} title={confirmLabel} busy={busy}>
        <div className="stack">
          {children}
          <div className="actions">
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => {
                setOpen(false);
                onConfirm();
              }}
            >
              {confirmLabel}
            </button>
          </div>
        </div>
      </Dialog>
    </>
  );
}
