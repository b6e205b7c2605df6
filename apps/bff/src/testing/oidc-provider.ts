import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';

/**
 * A real OpenID provider for the tests (the `oidc-provider` package, its own development login
 * form), on 127.0.0.1 and a free port. Any password signs a person in; `people` gives their groups.
 */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Groups per login name; a test may change them between sign-ins. */
  people: Map<string, string[]>;
  /** Token requests the provider answered (a replayed code is refused, not counted). */
  tokenRequests(): number;
  close(): Promise<void>;
}

export async function startTestOidcProvider(options: {
  redirectUris: string[];
  people: Record<string, string[]>;
  clientId?: string;
  clientSecret?: string;
}): Promise<TestOidcProvider> {
  const clientId = options.clientId ?? 'console';
  const clientSecret = options.clientSecret ?? 'a-test-client-secret-of-some-length';
  const people = new Map(Object.entries(options.people));
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let tokens = 0;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { methods: ['S256'], required: () => true },
    claims: { openid: ['sub'], profile: ['preferred_username', 'groups'], email: ['email'] },
    findAccount: (_ctx: KoaContextWithOIDC, id: string) => ({
      accountId: id,
      claims: () => ({
        sub: id,
        preferred_username: id,
        email: `${id}@example.test`,
        groups: people.get(id) ?? [],
      }),
    }),
    // The console is a first-party client: no consent screen, the scopes are granted.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      const existing = oidc.session?.grantIdFor(clientId);
      if (existing) return oidc.provider.Grant.find(existing);
      const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session?.accountId ?? '' });
      grant.addOIDCScope('openid profile email');
      await grant.save();
      return grant;
    },
    cookies: { keys: ['a-test-cookie-signing-key'] },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600 },
    features: { devInteractions: { enabled: true }, claimsParameter: { enabled: true } },
  });
  provider.on('grant.success', () => {
    tokens += 1;
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    void callback(req, res);
  });
  return {
    issuer,
    clientId,
    clientSecret,
    people,
    tokenRequests: () => tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export { freePort } from './browser.js';
