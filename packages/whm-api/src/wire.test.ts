import { describe, expect, it } from 'vitest';
import { decodeParams, encodeParams, WireDecodeError } from './wire.js';

describe('encodeParams', () => {
  it('when params are encoded, then api.version=1 comes first and undefined values are left out', () => {
    const wire = encodeParams('twofactorauth_set_issuer', { issuer: undefined });
    expect(wire.toString()).toBe('api.version=1');
    expect(encodeParams('twofactorauth_set_issuer', { issuer: 'A B' }).toString()).toBe(
      'api.version=1&issuer=A+B',
    );
  });

  it('when several users are given, then they become user, user-0, user-1 as cPanel names repeats', () => {
    const wire = encodeParams('twofactorauth_remove_user_config', { user: ['a', 'b', 'c'] });
    expect([...wire]).toEqual([
      ['api.version', '1'],
      ['user', 'a'],
      ['user-0', 'b'],
      ['user-1', 'c'],
    ]);
    const decoded = decodeParams('twofactorauth_remove_user_config', [...wire], { strict: true });
    expect(decoded.params.user).toEqual(['a', 'b', 'c']);
  });

  it('when the function takes a JSON body, then only api.version goes on the wire', () => {
    const wire = encodeParams('twofactorauth_set_tfa_config_for_user', {
      config: { bob: { primary_account: { secret: 'ABC' } } },
    });
    expect(wire.toString()).toBe('api.version=1');
  });

  it('when output options are given, then they are lettered WHM keys with defaults filled in', () => {
    const wire = encodeParams(
      'listaccts',
      { want: 'user' },
      {
        filter: [
          { field: 'user', arg0: 'bob' },
          { field: 'suspended', arg0: '1', type: '==' },
        ],
        sort: [{ field: 'user', reverse: true }],
        chunk: { size: 100 },
        columns: ['user', 'domain'],
      },
    );
    expect(Object.fromEntries(wire)).toEqual({
      'api.version': '1',
      want: 'user',
      'api.filter.enable': '1',
      'api.filter.a.field': 'user',
      'api.filter.a.arg0': 'bob',
      'api.filter.a.type': 'contains',
      'api.filter.b.field': 'suspended',
      'api.filter.b.arg0': '1',
      'api.filter.b.type': '==',
      'api.sort.enable': '1',
      'api.sort.a.field': 'user',
      'api.sort.a.method': 'lexicographic',
      'api.sort.a.reverse': '1',
      'api.columns.enable': '1',
      'api.columns.a': 'user',
      'api.columns.b': 'domain',
      'api.chunk.enable': '1',
      'api.chunk.size': '100',
      'api.chunk.start': '1',
    });
  });
});

describe('decodeParams', () => {
  it('when encoded params are decoded, then the round trip gives them back', () => {
    const output = {
      filter: [{ field: 'user', arg0: 'bob', type: 'begins' as const }],
      sort: [{ field: 'uid', method: 'numeric' as const, reverse: false }],
      chunk: { size: 10, start: 11 },
      columns: ['user'],
    };
    const wire = encodeParams('listaccts', { search: 'x', searchtype: 'user' }, output);
    expect(decodeParams('listaccts', wire, { strict: true })).toEqual({
      params: { search: 'x', searchtype: 'user' },
      output,
    });
  });

  it('when users come as user, user-0, user-1 out of order, then they are ordered by index', () => {
    const { params } = decodeParams(
      'twofactorauth_remove_user_config',
      [
        ['user-1', 'c'],
        ['user', 'a'],
        ['user-0', 'b'],
      ],
      { strict: true },
    );
    expect(params).toEqual({ user: ['a', 'b', 'c'] });
    expect(Object.getPrototypeOf(params)).toBeNull();
  });

  it('when a single user is given, then it stays a string', () => {
    const { params } = decodeParams('twofactorauth_remove_user_config', [['user', 'a']], {
      strict: true,
    });
    expect(params).toEqual({ user: 'a' });
  });

  it.each([
    [
      'a repeated key',
      [
        ['issuer', 'a'],
        ['issuer', 'b'],
      ],
      'issuer',
    ],
    [
      'an unknown key',
      [
        ['issuer', 'a'],
        ['owner', 'b'],
      ],
      'owner',
    ],
    ['a numbered non-repeatable key', [['issuer-1', 'a']], 'issuer-1'],
    ['__proto__', [['__proto__', 'x']], '__proto__'],
    ['api options on a 2FA function', [['api.chunk.enable', '1']], 'api.chunk.enable'],
  ] as [string, [string, string][], string][])(
    'when strict decoding meets %s, then it names the field',
    (_, entries, field) => {
      const decode = () => decodeParams('twofactorauth_set_issuer', entries, { strict: true });
      expect(decode).toThrow(WireDecodeError);
      try {
        decode();
      } catch (error) {
        expect((error as WireDecodeError).field).toBe(field);
      }
    },
  );

  it('when lenient decoding meets repeats and unknown keys, then it keeps the first value and drops the rest', () => {
    const { params, output } = decodeParams(
      'twofactorauth_set_issuer',
      [
        ['issuer', 'first'],
        ['issuer', 'second'],
        ['owner', 'x'],
        ['__proto__', 'y'],
        ['api.chunk.enable', '1'],
      ],
      { strict: false },
    );
    expect(params).toEqual({ issuer: 'first' });
    expect(output).toBeUndefined();
  });

  it('when a chunk size is not a number, then decoding fails naming the api option', () => {
    expect(() =>
      decodeParams(
        'listaccts',
        [
          ['api.chunk.enable', '1'],
          ['api.chunk.size', 'many'],
        ],
        { strict: false },
      ),
    ).toThrow(WireDecodeError);
  });

  it('when strict decoding meets an unknown api option, then it is refused', () => {
    expect(() => decodeParams('listaccts', [['api.filter.zz', '1']], { strict: true })).toThrow(
      /api\.filter\.zz/,
    );
  });

  it('when api options are not enabled, then they are ignored', () => {
    const { output } = decodeParams('listaccts', [['api.sort.a.field', 'user']], {
      strict: false,
    });
    expect(output).toEqual({});
  });
});
