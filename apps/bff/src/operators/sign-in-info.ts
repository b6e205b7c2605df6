import type { Role } from './operator-store.js';

export const PRODUCT_NAME = 'WHM 2FA Console';

/** The default demo password: the one start-up prints (main.ts), and so the one the page may show. */
const PRINTED_DEMO_PASSWORD = 'demo';

/** What the sign-in page may know before anyone signs in: nothing secret. */
export interface SignInInfo {
  product: string;
  /** Demo mode only: the seeded operators, and their password when it is the printed default. */
  demo: { operators: { username: string; role: Role }[]; password: string | null } | null;
}

export function signInInfo(
  demo: { operators: readonly { username: string; role: Role }[]; password: string } | null,
): SignInInfo {
  if (!demo) return { product: PRODUCT_NAME, demo: null };
  return {
    product: PRODUCT_NAME,
    demo: {
      operators: demo.operators.map(({ username, role }) => ({ username, role })),
      password: demo.password === PRINTED_DEMO_PASSWORD ? demo.password : null,
    },
  };
}
