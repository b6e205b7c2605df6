import { hash, verify } from '@node-rs/argon2';

/** argon2id cost parameters (the library's default algorithm is argon2id). */
export interface PasswordHashing {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. */
export const productionHashing: PasswordHashing = {
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

/** Only for tests, passed explicitly: never a default anywhere. */
export const cheapHashingForTests: PasswordHashing = {
  memoryCost: 1024,
  timeCost: 1,
  parallelism: 1,
};

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /** Spends the time of one verification, so an unknown username answers as slowly as a known one. */
  burn(password: string): Promise<void>;
}

export function createPasswordHasher(params: PasswordHashing = productionHashing): PasswordHasher {
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, params),
    async verify(passwordHash, password) {
      try {
        return await verify(passwordHash, password);
      } catch {
        return false;
      }
    },
    async burn(password) {
      dummy ??= hash('not a password of anyone', params);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
