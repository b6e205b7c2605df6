import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach, vi } from 'vitest';

// Lazy chunks (the wizard, the QR code) load through Vite's transform, which takes seconds on a
// busy 2-core CI machine; the default 1 s wait made those tests flaky.
configure({ asyncUtilTimeout: 5_000 });

// jsdom has neither a modal <dialog> nor layout: give them the little the app relies on.
// Like a browser: showModal focuses the first control, Escape fires a cancelable `cancel`.
const escapeListeners = new WeakMap<HTMLDialogElement, (event: KeyboardEvent) => void>();
if (!('showModal' in HTMLDialogElement.prototype)) {
  Object.assign(HTMLDialogElement.prototype, {
    showModal(this: HTMLDialogElement) {
      this.setAttribute('open', '');
      const onKey = (event: KeyboardEvent) => {
        if (event.key !== 'Escape') return;
        const cancel = new Event('cancel', { cancelable: true });
        if (this.dispatchEvent(cancel)) this.close();
      };
      escapeListeners.set(this, onKey);
      this.ownerDocument.addEventListener('keydown', onKey);
      this.querySelector<HTMLElement>('input, textarea, select, button')?.focus();
    },
    close(this: HTMLDialogElement) {
      if (!this.hasAttribute('open')) return;
      this.removeAttribute('open');
      const onKey = escapeListeners.get(this);
      if (onKey) this.ownerDocument.removeEventListener('keydown', onKey);
      this.dispatchEvent(new Event('close'));
    },
  });
}

class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
vi.stubGlobal('ResizeObserver', NoopResizeObserver);

// The accounts table's scroll box is 800 px tall: the virtualizer renders ~20 rows plus overscan.
Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return this.classList.contains('table-scroll') ? 800 : 0;
  },
});

let consoleErrors: unknown[][] = [];

beforeEach(() => {
  consoleErrors = [];
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    consoleErrors.push(args);
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.stubGlobal('ResizeObserver', NoopResizeObserver);
  // A test that makes React (or anything) log an error fails, whatever it asserted.
  if (consoleErrors.length > 0) {
    const first = consoleErrors[0]?.map(String).join(' ') ?? '';
    throw new Error(`console.error was called ${consoleErrors.length} time(s): ${first}`);
  }
});
