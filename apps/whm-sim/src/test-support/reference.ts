import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The team's shared reference, beside the repo where it is checked out there (CI puts it so). */
export const sharedReferenceDir = resolve(repoRoot, '..', 'shared', 'reference');

/**
 * cPanel's API descriptions and the RFC vectors: the repo's copy in `reference/` (so a clone
 * anywhere runs every test; ADR 008), or `WHM_REFERENCE_DIR`. Missing is an error, never a skip:
 * these tests are the check that the simulator answers as cPanel documents.
 */
export function referenceDir(): string {
  const override = process.env.WHM_REFERENCE_DIR;
  const dir = override ? resolve(override) : resolve(repoRoot, 'reference');
  if (!existsSync(dir)) {
    throw new Error(`the WHM reference directory ${dir} is missing (set by WHM_REFERENCE_DIR)`);
  }
  return dir;
}
