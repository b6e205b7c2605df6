import type { Role } from './auth';

const WITH_ARTICLE: Record<Role, string> = {
  admin: 'an admin',
  support: 'a support operator',
  viewer: 'a viewer',
};

/** "an admin", "a support operator": a role as a sentence names it. */
export function roleWithArticle(role: string): string {
  return WITH_ARTICLE[role as Role] ?? `a ${role}`;
}
