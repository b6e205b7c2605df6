import { directRead } from '../whm/prepared-calls.js';
import type { WhmUpstream } from '../whm/upstream.js';

export interface AccountContact {
  user: string;
  domain: string;
  /** The contact address WHM holds, or null when there is none to write to. */
  email: string | null;
}

/** WHM's word for "no contact address"; an empty field means the same. */
const NO_EMAIL = '*unknown*';
const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/** An account's contact as listaccts gives it (reminders/ reads the same fields). */
export const contactOf = (account: {
  user: string;
  domain?: string | undefined;
  email?: string | undefined;
}): AccountContact => {
  const email = account.email?.trim() ?? '';
  return {
    user: account.user,
    domain: account.domain ?? '',
    email: email === '' || email === NO_EMAIL || !ADDRESS.test(email) ? null : email,
  };
};

/**
 * The contact address of each account, read live from WHM (never taken from the browser): one
 * exact search for one account, one list of the three fields for several.
 */
export async function readContacts(
  upstream: WhmUpstream,
  users: readonly string[],
): Promise<Map<string, AccountContact>> {
  const want = 'user,domain,email';
  const params: Record<string, string> =
    users.length === 1
      ? { search: users[0] ?? '', searchtype: 'user', searchmethod: 'exact', want }
      : { want };
  const answer = await directRead(upstream, 'listaccts', params);
  const wanted = new Set(users);
  const contacts = new Map<string, AccountContact>();
  for (const account of answer.data.acct as { user: string; domain?: string; email?: string }[]) {
    if (wanted.has(account.user)) contacts.set(account.user, contactOf(account));
  }
  return contacts;
}

/** `b***@example.com`: enough for support to say "the address ending example.com", no more. */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  return `${local.slice(0, 1)}***${email.slice(at)}`;
}

/**
 * The host's name in a message: the admin's setting, else the server's 2FA issuer (what the
 * holder's authenticator app shows), else the server's label.
 */
export async function hostNameOf(upstream: WhmUpstream, configured: string): Promise<string> {
  if (configured.trim() !== '') return configured.trim();
  try {
    const answer = await directRead(upstream, 'twofactorauth_get_issuer', {});
    const issuer = answer.data.issuer.trim() || answer.data.system_wide_issuer.trim();
    if (issuer !== '') return issuer;
  } catch {
    // The label will do: the message matters more than the name in it.
  }
  return upstream.server.label;
}
