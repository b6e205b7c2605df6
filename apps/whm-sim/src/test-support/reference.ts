import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * cPanel's API descriptions and the RFC vectors: `../shared/reference` beside the repo (where CI
 * puts it), or `WHM_REFERENCE_DIR`. Missing is an error, never a skip: these tests are the check
 * that the simulator answers as cPanel documents.
 */
export function referenceDir(): string {
  const override = process.env.WHM_REFERENCE_DIR;
  const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
  const dir = override ? resolve(override) : resolve(repoRoot, '..', 'shared', 'reference');
  if (!existsSync(dir)) {
    throw new Error(
      `the WHM reference directory ${dir} is missing: put shared/ beside the repo or set WHM_REFERENCE_DIR`,
    );
  }
  return dir;
}
