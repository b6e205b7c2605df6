import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from './audit-verify.js';
import { cheapHashingForTests } from '../operators/passwords.js';
import { runOperatorsCli, type CliIo } from './operators.js';

const dir = mkdtempSync(join(tmpdir(), 'bff-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(
  secret = 'a sufficiently long password',
): CliIo & { lines: string[]; prompts: string[] } {
  const lines: string[] = [];
  const prompts: string[] = [];
  return {
    lines,
    prompts,
    out: (line) => lines.push(line),
    readSecret: (prompt) => {
      prompts.push(prompt);
      return Promise.resolve(secret);
    },
    env: { DATA_DIR: dir },
    passwordHashing: cheapHashingForTests,
  };
}

describe('the operators command', () => {
  it('when an admin is added, listed, disabled and reset, then no secret is ever printed', async () => {
    const secret = 'CANARY-cli-password-123';
    const add = io(secret);
    expect(await runOperatorsCli(['add', 'root-admin', 'admin'], add)).toBe(0);
    expect(add.prompts).toEqual(['New password: ']);
    expect(await runOperatorsCli(['add', 'second-admin', 'admin'], io())).toBe(0);
    const list = io();
    expect(await runOperatorsCli(['list'], list)).toBe(0);
    expect(list.lines.join('\n')).toMatch(/root-admin\s+admin\s+active/);
    const disable = io();
    expect(await runOperatorsCli(['disable', 'root-admin'], disable)).toBe(0);
    const reset = io('another long password');
    expect(await runOperatorsCli(['reset-password', 'root-admin'], reset)).toBe(0);
    expect(await runOperatorsCli(['reset-totp', 'root-admin'], io())).toBe(0);
    for (const run of [add, list, disable, reset]) {
      expect(run.lines.join('\n')).not.toContain(secret);
      expect(run.lines.join('\n')).not.toMatch(/argon2/);
    }
  }, 30_000);

  it('when the password is too short or the role unknown, then nothing is created', async () => {
    await expect(runOperatorsCli(['add', 'shorty', 'admin'], io('short'))).rejects.toThrow(
      /12 to 256/,
    );
    await expect(runOperatorsCli(['add', 'someone', 'root'], io())).rejects.toThrow(/ROLE/);
  }, 30_000);

  it('when the audit chain is checked after CLI changes, then it verifies', async () => {
    const result = await verifyAuditChain({ DATA_DIR: dir });
    expect(result.valid).toBe(true);
    expect(result.count).toBeGreaterThanOrEqual(4);
  }, 30_000);
});
