import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCommand } from './processes.js';

const UNIT = join(repoRoot, 'deploy/systemd/twofactor-console.service');

describe('the systemd unit (docs/deploy.md, "Running under systemd")', () => {
  it('when systemd checks the unit, then it finds nothing to complain about', () => {
    const verified = runCommand('systemd-analyze', ['verify', UNIT]);
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
  });

  it('when the unit starts the console, then it runs the built console with no install step, from the checkout', () => {
    const unit = readFileSync(UNIT, 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node scripts\/run\.mjs serve$/m);
    const { scripts } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.serve).toBe('node scripts/run.mjs serve');
    // The state directory the unit makes is the DATA_DIR it sets.
    expect(unit).toMatch(/^StateDirectory=twofactor-console$/m);
    expect(unit).toMatch(/^Environment=DATA_DIR=\/var\/lib\/twofactor-console$/m);
  });

  it('when the unit is broken, then the check says so (the check can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    const broken = join(dir, 'twofactor-console.service');
    writeFileSync(broken, readFileSync(UNIT, 'utf8').replace('Type=exec', 'Type=no-such-type'));
    try {
      const verified = runCommand('systemd-analyze', ['verify', broken]);
      expect(verified.stderr).toMatch(/service type/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
