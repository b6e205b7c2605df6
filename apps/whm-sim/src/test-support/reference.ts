import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

/** `../shared/reference` beside the repo (three levels above apps/whm-sim/src), or `WHM_REFERENCE_DIR`. */
export function referenceDir(): string {
  const override = process.env.WHM_REFERENCE_DIR;
  if (override) return resolve(override);
  const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
  return resolve(repoRoot, '..', 'shared', 'reference');
}
