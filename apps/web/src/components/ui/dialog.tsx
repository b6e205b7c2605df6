import { useEffect, useId, useRef, type ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  children: ReactNode;
  /** Closing would lose work in flight (a request running): Escape is ignored meanwhile. */
  busy?: boolean;
  /** Slides in at the side, for details next to the list rather than a question. */
  drawer?: boolean;
}

/** The native modal dialog: focus is trapped and restored by the browser, Escape closes. */
export function Dialog({
  open,
  onClose,
  title,
  children,
  busy = false,
  drawer = false,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={drawer ? 'dialog drawer' : 'dialog'}
      aria-labelledby={titleId}
      // React passes a nested dialog's cancel and close up to this one (the step-up form opened
      // from a form in a dialog): only this dialog's own may close it.
      onCancel={(event) => {
        if (event.target !== event.currentTarget) return;
        event.preventDefault();
        if (!busy) onClose();
      }}
      onClose={(event) => {
        if (event.target !== event.currentTarget) return;
        if (open) onClose();
      }}
    >
      {open ? (
        <>
          <header className="dialog-header">
            <h2 id={titleId}>{title}</h2>
            <button
              type="button"
              className="icon-button"
              aria-label="Close dialog"
              disabled={busy}
              onClick={onClose}
            >
              ×
            </button>
          </header>
          <div className="dialog-body">{children}</div>
        </>
      ) : null}
    </dialog>
  );
}
