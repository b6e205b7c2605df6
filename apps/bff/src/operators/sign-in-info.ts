import type { Role } from './operator-store.js';

export const PRODUCT_NAME = 'Two-factor console';

/** The default demo password: the one start-up prints (main.ts), and so the one the page may show. */
const PRINTED_DEMO_PASSWORD = 'demo';

/** A demo operator as the sign-in page shows it; `password` only in a hosted demo that shows them. */
export interface DemoSignIn {
  username: string;
  role: Role;
  password?: string;
}

/** What the sign-in page may know before anyone signs in: nothing secret. */
export interface SignInInfo {
  product: string;
  /** Demo mode only: the seeded operators, and their password when it is the printed default. */
  demo: {
    operators: DemoSignIn[];
    password: string | null;
    /** A hosted demo (DEMO_PUBLIC): whether the page shows the sign-ins (DEMO_SHOW_SIGNINS). */
    hosted?: { showSignIns: boolean };
  } | null;
  /** With single sign-on configured: the button's "Sign in with <label>". */
  sso: { label: string } | null;
}

export function signInInfo(
  demo: {
    operators: readonly DemoSignIn[];
    password: string | null;
    hosted?: { showSignIns: boolean };
  } | null,
  ssoLabel?: string,
): SignInInfo {
  const sso = ssoLabel === undefined ? null : { label: ssoLabel };
  if (!demo) return { product: PRODUCT_NAME, demo: null, sso };
  if (demo.hosted && !demo.hosted.showSignIns) {
    // A hosted demo whose sign-ins go by another way (a sales call, an email): the page names no one.
    return {
      product: PRODUCT_NAME,
      demo: { operators: [], password: null, hosted: demo.hosted },
      sso,
    };
  }
  return {
    product: PRODUCT_NAME,
    sso,
    demo: {
      operators: demo.operators.map(({ username, role, password }) => ({
        username,
        role,
        ...(demo.hosted && password !== undefined ? { password } : {}),
      })),
      password: demo.password === PRINTED_DEMO_PASSWORD ? demo.password : null,
      ...(demo.hosted ? { hosted: demo.hosted } : {}),
    },
  };
}
