import { pathToFileURL } from 'node:url';
import { createCoreServices, openEnvDatabase } from '../console.js';
import { migrate } from '../db/migrations.js';
import { EnvError, parseEnv } from '../env.js';
import { AppError } from '../errors.js';
import { OPERATOR_NAME_PATTERN } from '../operators/operator-service.js';
import { roles, type Role } from '../operators/operator-store.js';
import {
  PASSWORD_MAX_LENGTH,
  PASSWORD_MIN_LENGTH,
  type PasswordHashing,
} from '../operators/passwords.js';
import { readSecret } from './read-secret.js';

const USAGE = `usage: operators <command>
  add USERNAME ROLE          create an operator (ROLE: admin, support, viewer); password from stdin
  list                       list operators
  disable USERNAME           disable an operator and end its sessions
  enable USERNAME            enable a disabled operator
  reset-password USERNAME    set a new password (from stdin) and end its sessions
  reset-totp USERNAME        remove the operator's own TOTP
The password is read from the terminal without echo, or from the first line of stdin.
Uses DATABASE_URL, or the PGlite database in DATA_DIR (stop the console first when using PGlite).`;

export interface CliIo {
  out: (line: string) => void;
  readSecret: (prompt: string) => Promise<string>;
  env: Record<string, string | undefined>;
  /** Tests only; the default is the production cost. */
  passwordHashing?: PasswordHashing;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  readSecret,
  env: process.env,
};

async function newPassword(io: CliIo): Promise<string> {
  const password = await io.readSecret('New password: ');
  if (password.length < PASSWORD_MIN_LENGTH || password.length > PASSWORD_MAX_LENGTH) {
    throw new AppError(
      'invalid_params',
      `the password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
    );
  }
  return password;
}

export async function runOperatorsCli(
  argv: readonly string[],
  io: CliIo = processIo,
): Promise<number> {
  const { out } = io;
  const [command, username, role] = argv;
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return command ? 0 : 2;
  }
  const env = parseEnv(io.env);
  const db = await openEnvDatabase(env);
  try {
    await migrate(db);
    const { operators, operatorStore } = createCoreServices(db, {
      env,
      ...(io.passwordHashing ? { passwordHashing: io.passwordHashing } : {}),
    });
    const find = async () => {
      if (!username) throw new AppError('invalid_params', 'give a USERNAME');
      const record = await operatorStore.byUsername(username);
      if (!record) throw new AppError('not_found', `no operator named ${username}`);
      return record;
    };
    switch (command) {
      case 'add': {
        if (!username || !OPERATOR_NAME_PATTERN.test(username)) {
          throw new AppError(
            'invalid_params',
            'USERNAME must be 2 to 32 of a-z, 0-9, ".", "_", "-"',
          );
        }
        if (!role || !(roles as readonly string[]).includes(role)) {
          throw new AppError('invalid_params', 'ROLE must be admin, support or viewer');
        }
        const created = await operators.create(null, {
          username,
          role: role as Role,
          password: await newPassword(io),
        });
        out(`added ${created.username} (${created.role})`);
        return 0;
      }
      case 'list': {
        for (const item of await operators.list()) {
          out(
            [
              item.username.padEnd(24),
              item.role.padEnd(8),
              item.disabled ? 'disabled' : 'active  ',
              item.totpEnabled ? 'totp' : '    ',
              `sessions=${item.activeSessions}`,
              `last-login=${item.lastLoginAt ?? 'never'}`,
            ].join(' '),
          );
        }
        return 0;
      }
      case 'disable':
      case 'enable': {
        const record = await find();
        await operators.update(null, record.id, { disabled: command === 'disable' });
        out(`${command}d ${record.username}`);
        return 0;
      }
      case 'reset-password': {
        const record = await find();
        await operators.resetPassword(null, record.id, await newPassword(io));
        out(`password reset for ${record.username}; its sessions ended`);
        return 0;
      }
      case 'reset-totp': {
        const record = await find();
        await operators.removeTotp(null, record.id);
        out(`TOTP removed for ${record.username}`);
        return 0;
      }
      default:
        out(USAGE);
        return 2;
    }
  } finally {
    await db.close();
  }
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  runOperatorsCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const message =
        error instanceof EnvError || error instanceof AppError
          ? error.message
          : 'the command failed';
      process.stderr.write(`operators: ${message}\n`);
      process.exit(1);
    },
  );
}
