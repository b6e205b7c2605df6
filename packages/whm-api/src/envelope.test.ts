import { describe, expect, it } from 'vitest';
import { failureEnvelope, lastChunk, parseEnvelope, successEnvelope } from './envelope.js';
import { WhmError, WhmTransportError } from './errors.js';

const meta = (result: unknown, extra: Record<string, unknown> = {}) => ({
  metadata: { command: 'x', reason: 'OK', result, version: 1, ...extra },
});

describe('lastChunk', () => {
  it('when the chunk metadata reaches the total, then it is the last page; a reset to page 1 is not', () => {
    const chunk = (start: number, records: number) => ({
      start,
      size: 25,
      records,
      current: Math.ceil(start / 25),
      chunks: Math.ceil(records / 25),
    });
    expect(lastChunk(chunk(1, 60))).toBe(false);
    expect(lastChunk(chunk(26, 60))).toBe(false);
    expect(lastChunk(chunk(51, 60))).toBe(true);
    expect(lastChunk(chunk(1, 25))).toBe(true);
    expect(lastChunk(chunk(1, 0))).toBe(true);
    const answer = parseEnvelope('listaccts', {
      ...meta(1, { chunk: chunk(51, 60) }),
      data: { acct: [] },
    });
    expect(answer.metadata.chunk).toEqual(chunk(51, 60));
  });
});

describe('parseEnvelope', () => {
  it('when listaccts answers result 0, No accounts found. (an exact user search), then it reads as no accounts', () => {
    const answer = parseEnvelope('listaccts', meta(0, { reason: 'No accounts found.' }), {
      want: 'user',
    });
    expect(answer.data).toEqual({ acct: [] });
    expect(answer.metadata).toMatchObject({ result: 1, reason: 'No accounts found.' });
  });

  it('when another function or another listaccts reason says result 0, then it is still a WhmError', () => {
    expect(() => parseEnvelope('listaccts', meta(0, { reason: 'Unknown search type.' }))).toThrow(
      WhmError,
    );
    expect(() =>
      parseEnvelope('twofactorauth_get_user_configs', meta(0, { reason: 'No accounts found.' })),
    ).toThrow(WhmError);
  });

  it('when result is 1 with data, then the data comes back parsed', () => {
    expect(
      parseEnvelope('twofactorauth_policy_status', { ...meta(1), data: { is_enabled: 1 } }),
    ).toEqual({
      metadata: { command: 'x', reason: 'OK', result: 1, version: 1 },
      data: { is_enabled: 1 },
    });
  });

  it.each([
    [1, '1'],
    ['1', 1],
    ['1', '0'],
  ])('when result is %j and is_enabled %j, then both are read as numbers', (result, flag) => {
    const answer = parseEnvelope('twofactorauth_policy_status', {
      ...meta(result),
      data: { is_enabled: flag },
    });
    expect(answer.metadata.result).toBe(1);
    expect(answer.data.is_enabled).toBe(Number(flag));
  });

  it.each([0, '0'])('when result is %j, then WhmError carries the command and reason', (result) => {
    const parse = () =>
      parseEnvelope('twofactorauth_set_issuer', meta(result, { reason: 'Failed to set issuer.' }));
    expect(parse).toThrow(WhmError);
    try {
      parse();
    } catch (error) {
      expect(error).toMatchObject({
        command: 'twofactorauth_set_issuer',
        reason: 'Failed to set issuer.',
      });
    }
  });

  it('when result is 0 with no reason, then WhmError still says so', () => {
    expect(() => parseEnvelope('listaccts', { metadata: { result: 0 } })).toThrow(
      'listaccts: WHM gave no reason',
    );
  });

  it('when a function that returns nothing has no data key, then data is undefined', () => {
    expect(parseEnvelope('twofactorauth_enable_policy', meta(1)).data).toBeUndefined();
  });

  it('when listaccts has no data key, then it means no accounts', () => {
    expect(parseEnvelope('listaccts', meta(1)).data).toEqual({ acct: [] });
  });

  it('when a function that returns data has none, then it breaks the contract', () => {
    expect(() => parseEnvelope('twofactorauth_get_issuer', meta(1))).toThrow(
      expect.objectContaining({ failure: 'contract' }) as Error,
    );
  });

  it('when data has the wrong shape, then the error names the path', () => {
    expect(() =>
      parseEnvelope('twofactorauth_get_user_configs', {
        ...meta(1),
        data: { bob: { is_enabled: 2, primary_domain: 'x' } },
      }),
    ).toThrow(/bob\.is_enabled/);
  });

  it('when data has fields the contract does not list, then they are dropped', () => {
    const answer = parseEnvelope('twofactorauth_get_issuer', {
      ...meta(1),
      data: { issuer: 'a', system_wide_issuer: 'b', secret: 'leak' },
    });
    expect(answer.data).toEqual({ issuer: 'a', system_wide_issuer: 'b' });
  });

  it.each([
    ['null', null],
    ['an array', []],
    ['no metadata', { data: {} }],
    ['a result of 2', meta(2)],
    ['a result of true', meta(true)],
  ])('when the body is %s, then it is a bad envelope', (_, body) => {
    try {
      parseEnvelope('twofactorauth_policy_status', body);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WhmTransportError);
      expect(error).toMatchObject({
        failure: 'bad_envelope',
        command: 'twofactorauth_policy_status',
      });
    }
  });

  describe('listaccts asked with want', () => {
    const accounts = (acct: unknown[]) => ({ ...meta(1), data: { acct } });

    it('when WHM sends the fields asked for, then they come back checked and normalized', () => {
      const answer = parseEnvelope(
        'listaccts',
        accounts([{ user: 'bob', suspended: '1' }, { user: 'ann' }]),
        { want: 'user,suspended' },
      );
      expect(answer.data.acct).toEqual([{ user: 'bob', suspended: 1 }, { user: 'ann' }]);
    });

    it('when a field asked for breaks the contract, then the error names its path', () => {
      expect(() =>
        parseEnvelope('listaccts', accounts([{ user: 'bob' }, { user: 'ann', suspended: 2 }]), {
          want: 'user,suspended',
        }),
      ).toThrow(/acct\.1\.suspended/);
    });

    it('when WHM sends fields not asked for, then they are dropped', () => {
      const answer = parseEnvelope('listaccts', accounts([{ user: 'bob', email: 'b@x.test' }]), {
        want: 'user',
      });
      expect(answer.data.acct).toEqual([{ user: 'bob' }]);
    });

    it('when want names no known field, then the whole account contract applies', () => {
      const body = accounts([{ user: 'bob', suspended: 'yes' }]);
      expect(() => parseEnvelope('listaccts', body, { want: 'nosuchfield' })).toThrow(
        /acct\.0\.suspended/,
      );
      const answer = parseEnvelope('listaccts', accounts([{ user: 'bob', email: 'b@x.test' }]), {
        want: 'nosuchfield',
      });
      expect(answer.data.acct).toEqual([{ user: 'bob', email: 'b@x.test' }]);
    });
  });

  it('when metadata carries output warnings, then they are kept', () => {
    const answer = parseEnvelope('twofactorauth_enable_policy', {
      metadata: { result: 1, output: { warnings: ['careful'] } },
    });
    expect(answer.metadata.output?.warnings).toEqual(['careful']);
  });
});

describe('building envelopes', () => {
  it('when a success has no data, then there is no data key', () => {
    expect(successEnvelope('twofactorauth_enable_policy')).toEqual({
      metadata: { command: 'twofactorauth_enable_policy', reason: 'OK', result: 1, version: 1 },
    });
    expect(successEnvelope('x', { a: 1 })).toHaveProperty('data', { a: 1 });
  });

  it('when a failure is built, then it has result 0, the reason and no data', () => {
    expect(failureEnvelope('x', 'No.')).toEqual({
      metadata: { command: 'x', reason: 'No.', result: 0, version: 1 },
    });
  });
});

describe('parseEnvelope for the cpanel bridge', () => {
  const uapi = { status: 1, data: { is_enabled: 0 }, errors: null, messages: null, warnings: null };

  it('when the bridge ran the call, then the whole answer is the data', () => {
    const body = {
      module: 'TwoFactorAuth',
      func: 'get_user_configuration',
      apiversion: 3,
      result: uapi,
    };
    expect(parseEnvelope('cpanel', body).data).toEqual(body);
  });

  it('when the bridge refused, then WhmError carries its error text', () => {
    const body = {
      data: { reason: 'User parameter is invalid or was not supplied', result: '0' },
      type: 'text',
      error: 'User parameter is invalid or was not supplied',
    };
    expect(() => parseEnvelope('cpanel', body)).toThrow(
      new WhmError('cpanel', 'User parameter is invalid or was not supplied'),
    );
  });

  it('when the answer is a WHM envelope instead, then it is not a bridge answer', () => {
    expect(() => parseEnvelope('cpanel', meta(1))).toThrow(WhmTransportError);
  });
});
