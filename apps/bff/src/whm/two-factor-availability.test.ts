import { afterEach, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';

let t: TestConsole | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const PATH = '/api/servers/local/two-factor-availability';

describe('GET /api/servers/:server/two-factor-availability', () => {
  it('when WHM’s packages and feature lists are readable, then it names the packages lacking twofactorauth', async () => {
    t = await startTestConsole();
    const simulator = t.running.simulator!;
    const lacking = [
      ...new Set(
        simulator
          .accounts()
          .filter((a) => !a.tfaFeature)
          .map((a) => a.plan),
      ),
    ];
    expect(lacking).toEqual(['starter']);
    const viewer = await t.login('viewer');
    const answer = await viewer.get(PATH);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ featureAware: true, packagesWithoutTwoFactor: ['starter'] });
  });

  it('when many operators ask at once and again, then WHM is read once: listpkgs and one read per feature list', async () => {
    t = await startTestConsole();
    const simulator = t.running.simulator!;
    const [viewer, admin] = [await t.login('viewer'), await t.login('admin')];
    simulator.calls.reset();
    const answers = await Promise.all(
      [viewer, admin, viewer, admin, viewer].map((client) => client.get(PATH)),
    );
    for (const answer of answers) expect(answer.json.featureAware).toBe(true);
    await viewer.get(PATH);
    expect(simulator.calls.count('listpkgs')).toBe(1);
    // default, starter, basic: the seeded packages' distinct feature lists.
    expect(simulator.calls.count('get_featurelist_data')).toBe(3);
  });

  it('when a feature list cannot be read, then the answer says coverage is not feature-aware, with 200', async () => {
    t = await startTestConsole();
    const simulator = t.running.simulator!;
    simulator.faults.set({ mode: 'status', fn: 'get_featurelist_data', status: 500, times: 1 });
    const viewer = await t.login('viewer');
    const answer = await viewer.get(PATH);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ featureAware: false, packagesWithoutTwoFactor: [] });
  });

  it('when WHM answers listpkgs with result 0, then it fails soft as well', async () => {
    t = await startTestConsole();
    t.running.simulator!.faults.set({ mode: 'result0', fn: 'listpkgs', times: 1 });
    const viewer = await t.login('viewer');
    expect((await viewer.get(PATH)).json).toEqual({
      featureAware: false,
      packagesWithoutTwoFactor: [],
    });
  });

  it('when the server is unknown or nobody is signed in, then it is refused without calling WHM', async () => {
    t = await startTestConsole();
    const simulator = t.running.simulator!;
    simulator.calls.reset();
    const viewer = await t.login('viewer');
    expect((await viewer.get('/api/servers/nope/two-factor-availability')).status).toBe(404);
    expect((await t.anon().get(PATH)).status).toBe(401);
    expect(simulator.calls.count('listpkgs')).toBe(0);
  });
});
