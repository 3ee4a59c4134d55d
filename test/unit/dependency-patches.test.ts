import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Redis } from 'ioredis';
import Provider, { type KoaContextWithOIDC } from 'oidc-provider';
import { serveOnLoopback, type LoopbackServer } from '../support/loopback-server.js';

/**
 * patches/ (applied by npm's postinstall) replace accessors that two dependencies defined per object with a closure,
 * which V8 keeps in the old generation along with everything the closure reaches, and spare oidc-provider two costs
 * per request (patches/README.md). These tests fail when an install ran without the patches, or an upgrade dropped
 * them.
 */
describe('dependency patches', () => {
  describe('oidc-provider: ctx.oidc', () => {
    let server: LoopbackServer;
    const contexts: KoaContextWithOIDC[] = [];

    // A bare provider warns about its quick-start defaults (keys, adapter, interactions): none of them is used here.
    beforeAll(async () => {
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const provider = new Provider('http://localhost:3000', {});
      provider.use(async (ctx, next) => {
        await next();
        contexts.push(ctx as KoaContextWithOIDC);
      });
      server = await serveOnLoopback(provider.callback());
    });
    afterAll(async () => {
      await server.close();
      jest.restoreAllMocks();
    });

    it('is one getter shared by every request, still lazily making one OIDCContext per request', async () => {
      for (let i = 0; i < 2; i += 1) expect((await fetch(`${server.base}/jwks`)).status).toBe(200);
      const [first, second] = contexts.map((ctx) => Object.getOwnPropertyDescriptor(ctx, 'oidc'));
      expect(typeof first?.get).toBe('function');
      expect(second?.get).toBe(first?.get);
      const [a, b] = contexts as [KoaContextWithOIDC, KoaContextWithOIDC];
      expect(a.oidc).toBe(a.oidc);
      expect(a.oidc).not.toBe(b.oidc);
      expect(a.oidc.route).toBe('jwks');
    });
  });

  describe('oidc-provider: Client.find', () => {
    it('finds the Client of a frozen properties object by identity, without serializing the metadata again', async () => {
      let serialized = 0;
      const metadata = (clientId: string) =>
        Object.defineProperties(
          { client_id: clientId, client_secret: 'a-secret-long-enough-for-the-test', redirect_uris: ['https://app.example/cb'] },
          // JSON.stringify reads every property: the unpatched lookup hashes the metadata on every call.
          { client_name: { enumerable: true, get: () => ((serialized += 1), 'App') } },
        );
      const frozen = Object.freeze(metadata('app'));
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        const provider = new Provider('http://localhost:3000', {
          adapter: class {
            find(id: string) {
              return id === 'app' ? frozen : id === 'other' ? metadata('other') : undefined;
            }
          } as never,
        });
        const first = await provider.Client.find('app');
        const readsAfterFirst = serialized;
        expect(await provider.Client.find('app')).toBe(first);
        expect(serialized).toBe(readsAfterFirst);
        expect(first?.clientName).toBe('App');
        // An object that may change is hashed each time, as upstream does.
        await provider.Client.find('other');
        const readsBeforeAgain = serialized;
        await provider.Client.find('other');
        expect(serialized).toBeGreaterThan(readsBeforeAgain);
      } finally {
        jest.restoreAllMocks();
      }
    });
  });

  describe('oidc-provider: introspection of an opaque token', () => {
    let server: LoopbackServer;
    beforeAll(async () => {
      jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      const provider = new Provider('http://localhost:3000', {
        clients: [{ client_id: 'api', client_secret: 'a-secret-long-enough-for-the-test', grant_types: [], response_types: [], redirect_uris: [] }],
        features: { introspection: { enabled: true } },
      });
      server = await serveOnLoopback(provider.callback());
    });
    afterAll(async () => {
      await server.close();
      jest.restoreAllMocks();
    });

    const introspect = async (token: string) => {
      const response = await fetch(`${server.base}/token/introspection`, {
        method: 'POST',
        headers: { authorization: `Basic ${btoa('api:a-secret-long-enough-for-the-test')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      return (await response.json()) as Record<string, unknown>;
    };

    it('does not try to decode a token without a dot as a JWT, which only threw a TypeError to be caught', async () => {
      // The unpatched check builds one TypeError with this message for every opaque token it is given.
      const messages: unknown[] = [];
      const { TypeError: original } = globalThis;
      globalThis.TypeError = new Proxy(original, {
        construct(target, args: [string?]) {
          messages.push(args[0]);
          return new target(...args);
        },
      });
      try {
        expect(await introspect('an-opaque-token-value-of-forty-three-chars')).toEqual({ active: false });
      } finally {
        globalThis.TypeError = original;
      }
      expect(messages).not.toContain('Invalid Token or Protected Header formatting');
    });

    it('still refuses a structured JWT', async () => {
      const jwt = `${btoa('{"alg":"ES256","typ":"at+jwt"}').replace(/=+$/, '')}.e30.c2ln`;
      expect(await introspect(jwt)).toMatchObject({ error: 'unsupported_token_type' });
    });
  });

  describe('ioredis: Pipeline#length', () => {
    it('is a getter of the prototype, not of each pipeline, and still counts the queued commands', () => {
      const redis = new Redis({ lazyConnect: true });
      try {
        const pipeline = redis.pipeline();
        expect(Object.getOwnPropertyDescriptor(pipeline, 'length')).toBeUndefined();
        pipeline.get('a').get('b');
        expect(pipeline.length).toBe(2);
      } finally {
        redis.disconnect();
      }
    });
  });
});
