import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PASSWORD, seedWorld, type World } from '../support/fixtures.js';
import { openLoginPage, pageShape } from '../support/login-page.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

/**
 * Brute-force protection and account enumeration, through the real login page. The server trusts
 * X-Forwarded-For here (as behind a proxy) so tests can play several client addresses.
 */
describe('login protection', () => {
  let server: TestServer;
  let world: World;

  beforeAll(async () => {
    server = await startTestServer({ env: { TRUST_PROXY: 'true' } });
    world = await seedWorld(server.tessera);
  });
  afterAll(() => server.destroy());

  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('blocks after more than ten failures, for a minute, and says so with the time left', async () => {
    const login = await openLoginPage(server.issuer, world, from('203.0.113.10'));
    for (let attempt = 1; attempt <= 11; attempt += 1) {
      const response = await login.post(world.email, 'wrong horse battery');
      expect(response.status).toBe(401);
      expect(response.body).toContain('The email or password is incorrect.');
    }
    const blocked = await login.post(world.email, PASSWORD);
    expect(blocked.status).toBe(401);
    expect(blocked.body).toMatch(/Too many failed sign-in attempts\. Try again in 1 minute\./);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(55);
    expect(Number(blocked.headers.get('retry-after'))).toBeLessThanOrEqual(60);

    // The real user elsewhere is not locked out by this attacker.
    const elsewhere = await openLoginPage(server.issuer, world, from('198.51.100.20'));
    const signedIn = await elsewhere.post(world.email, PASSWORD);
    expect(signedIn.status).toBe(303);
  });

  it('answers an unknown email exactly like a known one: before, at and after the block', async () => {
    const known = await openLoginPage(server.issuer, world, from('203.0.113.30'));
    const unknown = await openLoginPage(server.issuer, world, from('203.0.113.31'));
    const nobody = 'nobody-here@example.com';
    for (let attempt = 1; attempt <= 12; attempt += 1) {
      const [a, b] = await Promise.all([known.post(world.email, 'wrong guess 123'), unknown.post(nobody, 'wrong guess 123')]);
      expect(b.status).toBe(a.status);
      expect(pageShape(b.body).replace(/[\w-]{43}/g, 'CSRF')).toBe(pageShape(a.body).replace(/[\w-]{43}/g, 'CSRF'));
      expect(b.body.includes('Too many')).toBe(a.body.includes('Too many'));
    }
  });

  // 200 password checks one after another: ≈ 50 s alone on a slow 2-core machine, 85–115 s beside another suite.
  it('takes the same time for unknown and known emails (medians of 100 attempts within 20%)', async () => {
    // A fresh account, so the earlier tests' failures do not put it over the account-wide threshold.
    const fresh = await seedWorld(server.tessera);
    const login = await openLoginPage(server.issuer, fresh);
    const timings: { known: number[]; unknown: number[] } = { known: [], unknown: [] };
    for (let attempt = 0; attempt < 100; attempt += 1) {
      // Fresh addresses and alternating order keep throttling and drift out of the comparison.
      const pairs: Array<[keyof typeof timings, string]> = [
        ['known', fresh.email],
        ['unknown', `nobody-${attempt}@example.com`],
      ];
      if (attempt % 2) pairs.reverse();
      for (const [kind, email] of pairs) {
        const started = performance.now();
        const response = await login.post(email, `not the password ${attempt}`, from(`10.${kind === 'known' ? 1 : 2}.${attempt >> 8}.${attempt & 255}`));
        timings[kind].push(performance.now() - started);
        expect(response.status).toBe(401);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const [known, unknown] = [median(timings.known), median(timings.unknown)];
    expect(Math.abs(known - unknown) / Math.max(known, unknown)).toBeLessThan(0.2);
  }, 240_000);

  it('treats operator-looking form values as plain (wrong) input, never as a query', async () => {
    const login = await openLoginPage(server.issuer, world, from('203.0.113.77'));
    const attempts: Array<Record<string, string>> = [
      { 'email[$ne]': 'null', 'password[$ne]': 'null' },
      { email: world.email, 'password[$gt]': '' },
      { email: '{"$ne":null}', password: '{"$ne":null}' },
      { 'email[__proto__][admin]': 'true', password: 'x' },
    ];
    for (const fields of attempts) {
      const response = await login.postFields(fields);
      expect(response.status).toBe(401);
      expect(response.body).toContain('The email or password is incorrect.');
    }
  });
});
