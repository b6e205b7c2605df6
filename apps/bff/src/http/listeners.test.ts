import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';
import { startCaptureServer, type CaptureServer } from '../testing/upstreams.js';

const ANSWER = JSON.stringify({
  metadata: { command: 'twofactorauth_policy_status', reason: 'OK', result: 1, version: 1 },
  data: { is_enabled: 1 },
});
/** More than EventEmitter's default of 10 listeners per event. */
const SERVERS = 14;

let upstream: CaptureServer;
beforeAll(async () => {
  upstream = await startCaptureServer((_request, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
  });
});
afterAll(async () => {
  await upstream.close();
});

describe('one console in front of many WHM servers', () => {
  it('when every server was read and the console closes, then no MaxListenersExceededWarning is emitted', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => {
      if (warning.name === 'MaxListenersExceededWarning') warnings.push(warning);
    };
    process.on('warning', onWarning);
    let t: TestConsole | undefined;
    try {
      t = await startTestConsole({
        servers: Array.from({ length: SERVERS }, (_, i) => ({
          id: `s${i}`,
          label: `s${i}`,
          url: upstream.url,
          user: 'root',
          token: 't',
          demo: false,
        })),
      });
      const admin = await t.login('admin');
      for (let i = 0; i < SERVERS; i += 1) {
        // Both paths: Express (first, uncached session) and the hot read path.
        expect((await admin.whm('twofactorauth_policy_status', '', `s${i}`)).status).toBe(200);
      }
      await t.close();
      t = undefined;
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((warning) => warning.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await t?.close();
    }
  });
});
