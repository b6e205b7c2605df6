import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  aclsBelowAll,
  consoleTokenAcls,
  functionAcls,
  minimalAclSet,
  needsAll,
  whmAcls,
  type AclEntry,
} from './acls.js';
import { whmFunctionNames } from './catalogue.js';

const doc = readFileSync(new URL('../../../docs/whm-token.md', import.meta.url), 'utf8');

/** The rows of the doc's function table: `| \`fn\` | \`acl\` or — | yes/no | read/inferred | … |`. */
function docRows(): Map<string, { acl: string; needsAll: string; basis: string }> {
  const rows = new Map<string, { acl: string; needsAll: string; basis: string }>();
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim());
    const name = /^`([a-z_0-9]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!name || cells.length < 6) continue;
    rows.set(name, {
      acl: (cells[2] ?? '').replaceAll('`', ''),
      needsAll: cells[3] ?? '',
      basis: cells[4] ?? '',
    });
  }
  return rows;
}

describe('WHM ACLs', () => {
  it('when the catalogue is listed, then every function has an ACL entry', () => {
    const missing = whmFunctionNames.filter((name) => !Object.hasOwn(functionAcls, name));
    expect(missing).toEqual([]);
  });

  it('when the entries are listed, then each is a function of the catalogue', () => {
    const extra = Object.keys(functionAcls).filter(
      (name) => !(whmFunctionNames as readonly string[]).includes(name),
    );
    expect(extra).toEqual([]);
  });

  it('when an entry names an ACL, then it is one WHM knows and has a source', () => {
    for (const [name, entry] of Object.entries(functionAcls)) {
      if (entry.acl !== null) expect(whmAcls, name).toContain(entry.acl);
      expect(entry.source.length, name).toBeGreaterThan(10);
    }
  });

  it('when the entries are combined, then the console needs exactly the all ACL', () => {
    expect(consoleTokenAcls()).toEqual(['all']);
    expect(aclsBelowAll()).toEqual(['cpanel-api', 'list-accts', 'list-pkgs']);
  });

  it('when no entry needs all, then the set is the sorted union of the dispatcher ACLs', () => {
    const entries: AclEntry[] = [
      { acl: 'list-pkgs', basis: 'read', source: 'test entry one' },
      { acl: null, basis: 'inferred', source: 'test entry two' },
      { acl: 'list-accts', basis: 'read', source: 'test entry three' },
    ];
    expect(consoleTokenAcls(entries)).toEqual(['list-accts', 'list-pkgs']);
    const rootOnly = {
      acl: null,
      basis: 'read',
      rootOnly: 'others',
      source: 'x'.repeat(11),
    } as const;
    expect(consoleTokenAcls([...entries, rootOnly])).toEqual(['all']);
    expect(minimalAclSet(['cpanel-api', 'all'])).toEqual(['all']);
  });

  it('when docs/whm-token.md is read, then its table says what the entries say, row for row', () => {
    const rows = docRows();
    expect([...rows.keys()].sort()).toEqual(Object.keys(functionAcls).sort());
    for (const [name, entry] of Object.entries(functionAcls)) {
      expect(rows.get(name), name).toEqual({
        acl: entry.acl ?? '—',
        needsAll: needsAll(entry) ? 'yes' : 'no',
        basis: entry.basis,
      });
    }
  });

  it('when docs/whm-token.md gives the commands, then each creates its token with the set the entries imply', () => {
    const commands = new Map<string, string[]>();
    for (const match of doc.matchAll(
      /whmapi1 api_token_create token_name=(\S+)((?: acl-\d+=\S+)+)/g,
    )) {
      const acls = [...(match[2] ?? '').matchAll(/acl-\d+=(\S+)/g)].map((acl) => acl[1] ?? '');
      commands.set(match[1] ?? '', acls);
    }
    expect(Object.fromEntries(commands)).toEqual({
      '2fa-console': consoleTokenAcls(),
      '2fa-console-limited': aclsBelowAll(),
    });
  });
});
