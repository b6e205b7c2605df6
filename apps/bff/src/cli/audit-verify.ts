import { pathToFileURL } from 'node:url';
import { loadAuditKey } from '../audit/audit-key.js';
import { AuditLog, type ChainVerification } from '../audit/audit-log.js';
import { openEnvDatabase } from '../console.js';
import { migrate } from '../db/migrations.js';
import { EnvError, parseEnv } from '../env.js';

/**
 * Recomputes the audit chain with AUDIT_KEY_FILE (DATA_DIR/audit.key in demo mode); exit code 0
 * when it verifies, 1 when it does not (`problem` says why), 2 when it could not check.
 */
export async function verifyAuditChain(
  source: Record<string, string | undefined> = process.env,
): Promise<ChainVerification> {
  const env = parseEnv(source);
  const key = loadAuditKey(env);
  const db = await openEnvDatabase(env);
  try {
    await migrate(db);
    return await new AuditLog(db, key).verify();
  } finally {
    await db.close();
  }
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  verifyAuditChain().then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(result.valid ? 0 : 1);
    },
    (error: unknown) => {
      process.stderr.write(
        `audit-verify: ${error instanceof EnvError ? error.message : 'the check failed'}\n`,
      );
      process.exit(2);
    },
  );
}
