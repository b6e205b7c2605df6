import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Beside reference.test.ts for the same reason (ADR 008): a clone has no team `shared/`, so the
// pages a newcomer reads must point only at files the clone holds.
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function userDocs(): string[] {
  const docs = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? docs(join(dir, entry.name))
        : entry.name.endsWith('.md')
          ? [join(dir, entry.name)]
          : [],
    );
  const readmes = ['apps', 'packages'].flatMap((group) =>
    readdirSync(join(repoRoot, group))
      .map((name) => join(repoRoot, group, name, 'README.md'))
      .filter((file) => {
        try {
          readFileSync(file);
          return true;
        } catch {
          return false;
        }
      }),
  );
  return [join(repoRoot, 'README.md'), ...docs(join(repoRoot, 'docs')), ...readmes];
}

describe('the docs a clone holds', () => {
  it('when a newcomer reads the README, docs/ or a package README, then no link leads to ../shared', () => {
    const offenders = userDocs()
      .filter((file) => !file.includes(`${join('docs', 'decisions')}`))
      .filter((file) => /\.\.\/shared\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(repoRoot, file));
    expect(offenders).toEqual([]);
  });

  it('when the README names the Node versions, then they agree with engines', () => {
    const { engines } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(engines.node.replace(/^>=/, ''));
    expect(readme).toMatch(/npm run sim/);
    expect(readme).toMatch(/npm run bench/);
  });
});
