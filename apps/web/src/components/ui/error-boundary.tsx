import { Component, type ReactNode } from 'react';

interface State {
  failed: boolean;
}

/** A crash in one page (or a chunk that no longer exists after a deploy) leaves the shell usable. */
export class PageErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div className="error-panel" role="alert">
        <p className="error-title">This page could not be shown</p>
        <p>Reload to try again; if it keeps failing, the console may have been updated.</p>
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </div>
    );
  }
}
