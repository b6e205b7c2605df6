import type { Role } from '../lib/auth';

export const paths = {
  login: '/login',
  setup: '/setup',
  fleet: '/fleet',
  accounts: '/accounts',
  policy: '/policy',
  issuer: '/issuer',
  enroll: '/enroll',
  audit: '/audit',
  operators: '/operators',
  mail: '/mail',
  reminders: '/reminders',
  mailbox: '/mailbox',
  servers: '/servers',
  me: '/me',
} as const;

export interface NavItem {
  to: string;
  label: string;
  roles: readonly Role[];
  /** Shown in demo mode only: the demo's own mailbox. */
  demoOnly?: boolean;
}

const everyone: readonly Role[] = ['admin', 'support', 'viewer'];
const admins: readonly Role[] = ['admin'];

export const navItems: readonly NavItem[] = [
  { to: paths.fleet, label: 'Fleet', roles: everyone },
  { to: paths.accounts, label: 'Accounts', roles: everyone },
  { to: paths.policy, label: 'Policy', roles: everyone },
  { to: paths.issuer, label: 'Issuer', roles: everyone },
  { to: paths.enroll, label: 'Enroll', roles: admins },
  { to: paths.audit, label: 'Audit', roles: ['admin', 'support'] },
  { to: paths.operators, label: 'Operators', roles: admins },
  { to: paths.mail, label: 'Mail', roles: admins },
  { to: paths.reminders, label: 'Reminders', roles: admins },
  { to: paths.mailbox, label: 'Mailbox', roles: everyone, demoOnly: true },
  { to: paths.servers, label: 'Servers', roles: admins },
  { to: paths.me, label: 'My account', roles: everyone },
];

/** Only same-origin paths, so `?next=` cannot send an operator elsewhere. */
export function safeNext(next: string | null): string {
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith(paths.login)) {
    return next;
  }
  // Home: the fleet or the accounts, as the number of servers says (routes/home.tsx).
  return '/';
}
