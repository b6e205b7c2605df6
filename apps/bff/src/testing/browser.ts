import { createServer } from 'node:net';

/** A port free now, for a server whose address another must know before it starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Page {
  url: string;
  status: number;
  text: string;
}

/**
 * What a browser does that single sign-on needs, over real HTTP: cookies kept per origin (paths
 * ignored), redirects followed by hand, a form posted. Not a browser: Playwright tests the page.
 */
export class TestBrowser {
  private readonly jars = new Map<string, Map<string, string>>();
  /** Every URL a navigation passed through, in order. */
  readonly visited: string[] = [];

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string | undefined): void {
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    if (value === undefined) jar.delete(name);
    else jar.set(name, value);
    this.jars.set(origin, jar);
  }

  private store(origin: string, headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      this.setCookie(origin, name, expired ? undefined : value);
    }
  }

  /** One request, no redirect followed. */
  async fetch(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const { origin } = new URL(url);
    const jar = this.jars.get(origin);
    const headers: Record<string, string> = { ...init.headers };
    if (jar && jar.size > 0) {
      headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    const response = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.body !== undefined ? { body: init.body } : {}),
    });
    this.store(origin, response.headers);
    this.visited.push(url);
    return response;
  }

  /**
   * A navigation: follows redirects (at most 20) to the page that answers, or stops before a URL
   * `stopAt` picks (then `status` is 0 and `url` is that URL, not fetched).
   */
  async go(
    url: string,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
    stopAt?: (url: string) => boolean,
  ): Promise<Page> {
    let current = url;
    let request = init;
    for (let hop = 0; hop < 20; hop += 1) {
      const response = await this.fetch(current, request);
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        current = new URL(location, current).href;
        request = {};
        if (stopAt?.(current)) return { url: current, status: 0, text: '' };
        continue;
      }
      return { url: current, status: response.status, text: await response.text() };
    }
    throw new Error(`more than 20 redirects from ${url}`);
  }

  /** Posts the page's first form with `fields` (and its hidden inputs), as a person would. */
  async submitForm(
    page: Page,
    fields: Record<string, string>,
    stopAt?: (url: string) => boolean,
  ): Promise<Page> {
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(page.text);
    if (!form) throw new Error(`no form on ${page.url}: ${page.text.slice(0, 300)}`);
    const values = new URLSearchParams();
    for (const hidden of form[2]?.matchAll(/<input[^>]*type="hidden"[^>]*>/gi) ?? []) {
      const name = /name="([^"]+)"/.exec(hidden[0])?.[1];
      const value = /value="([^"]*)"/.exec(hidden[0])?.[1] ?? '';
      if (name) values.set(name, value);
    }
    for (const [name, value] of Object.entries(fields)) values.set(name, value);
    return this.go(
      new URL(form[1] ?? '', page.url).href,
      {
        method: 'POST',
        body: values.toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      stopAt,
    );
  }
}
