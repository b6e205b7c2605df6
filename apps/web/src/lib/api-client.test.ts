import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, apiText, withQuery } from './api-client';

function answer(status: number, body: string, type = 'application/json') {
  return vi.fn(() =>
    Promise.resolve(new Response(body, { status, headers: { 'Content-Type': type } })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('api client', () => {
  it('when calling, then it sends X-CSRF, same-origin credentials and JSON', async () => {
    const fetch = answer(200, '{"ok":true}');
    vi.stubGlobal('fetch', fetch);

    await expect(api('/api/x', { method: 'POST', body: { a: 1 } })).resolves.toEqual({ ok: true });

    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/x');
    expect(init.credentials).toBe('same-origin');
    expect(init.headers).toMatchObject({ 'X-CSRF': '1', 'Content-Type': 'application/json' });
    expect(init.body).toBe('{"a":1}');
  });

  it('when the BFF answers an error, then an ApiError carries its code, field and request id', async () => {
    vi.stubGlobal(
      'fetch',
      answer(400, '{"code":"invalid_params","message":"bad","field":"user","requestId":"r1"}'),
    );
    const error = await api('/api/x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'invalid_params',
      message: 'bad',
      field: 'user',
      requestId: 'r1',
    });
  });

  it('when the answer is not JSON or the network fails, then the code says so', async () => {
    vi.stubGlobal('fetch', answer(502, '<html>Bad gateway</html>', 'text/html'));
    await expect(api('/api/x')).rejects.toMatchObject({ status: 502, code: 'http_error' });

    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    await expect(api('/api/x')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('when there is no content or text, then it returns undefined or the text', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.resolve(new Response(null, { status: 204 }))),
    );
    await expect(api('/api/x', { method: 'DELETE' })).resolves.toBeUndefined();
    vi.stubGlobal('fetch', answer(200, 'a,b\r\n', 'text/csv'));
    await expect(apiText('/api/audit.csv')).resolves.toBe('a,b\r\n');
  });

  it('when building a query, then empty values are left out', () => {
    expect(withQuery('/api/audit', { operator: 'bob', target: '', before: null, limit: 5 })).toBe(
      '/api/audit?operator=bob&limit=5',
    );
  });
});
