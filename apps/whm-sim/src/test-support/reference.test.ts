import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { referenceDir, sharedReferenceDir } from './reference.js';

describe('the repo copy of the reference', () => {
  it('when the shared reference sits beside the repo, then the copy holds exactly its files', () => {
    const copy = referenceDir();
    const files = readdirSync(copy).sort();
    expect(files).toEqual(
      expect.arrayContaining(['rfc6238-vectors.json', 'whm-openapi-twofactorauth.yml']),
    );
    // Where the team's shared/ is checked out (CI, the team's machines), the copy must not drift.
    if (!existsSync(sharedReferenceDir)) return;
    expect(files).toEqual(readdirSync(sharedReferenceDir).sort());
    for (const file of files) {
      expect(readFileSync(join(copy, file), 'utf8'), file).toBe(
        readFileSync(join(sharedReferenceDir, file), 'utf8'),
      );
    }
  });
});
