import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/index.js';
import { cliAgainst } from '../support/cli.js';
import { PASSWORD } from '../support/fixtures.js';

/** The admin CLI against a real SQLite file, with stdin/stdout captured. */
describe('cli', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-cli-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const cli = (args: string, stdin = '') => cliAgainst({ DATA_DIR: dataDir })(args, stdin);

  it('creates a tenant, a user in it, a client and a resource server, printing JSON', async () => {
    const tenant = await cli('tenant create acme --name "Acme Inc"');
    expect(tenant).toMatchObject({ code: 0, json: { slug: 'acme', name: 'Acme Inc' } });

    const user = await cli('user create --tenant acme --email Ada@Example.com --name Ada --password-stdin --role admin', `${PASSWORD}\n`);
    expect(user).toMatchObject({ code: 0, json: { email: 'ada@example.com', tenant: 'acme', roles: ['admin'] } });
    expect(JSON.stringify(user.json)).not.toContain(PASSWORD);

    const client = await cli(
      'client create --tenant acme',
      JSON.stringify({ client_id: 'shop', redirect_uris: ['https://shop.example/cb'], grant_types: ['authorization_code'] }),
    );
    expect(client).toMatchObject({ code: 0, json: { client_id: 'shop', tenant: 'acme' } });
    expect(client.json.client_secret).toMatch(/^[\w-]{43}$/);

    const resource = await cli('resource create --id https://devices.example --scopes "devices:read devices:vnc" --jwt');
    expect(resource).toMatchObject({ code: 0, json: { identifier: 'https://devices.example', scopes: ['devices:read', 'devices:vnc'], jwtAccessTokens: true } });
  });

  it.each([
    ['no command', ''],
    ['an unknown command', 'tenant frobnicate'],
    ['an unknown option', 'tenant create x --name y --colour red'],
    ['a bad slug', 'tenant create "Not A Slug" --name y'],
    ['a duplicate slug', 'tenant create acme --name again'],
    ['a missing --name', 'tenant create lonely'],
    ['a password on the command line', 'user create --tenant acme --email b@example.com --password hunter2'],
    ['an unknown tenant', 'user create --tenant nobody --email b@example.com --password-stdin'],
    ['a bad email', 'user create --tenant acme --email not-an-email --password-stdin'],
    ['a weak password', 'user create --tenant acme --email weak@example.com --password-stdin'],
    ['a bad resource URI', 'resource create --id not-a-uri --scopes a'],
    ['a bad ttl', 'resource create --id https://x.example --scopes a --ttl soon'],
  ])('exits 2 with a message for %s', async (_label, args) => {
    const result = await cli(args || 'x', args.includes('weak') ? 'password123\n' : `${PASSWORD}\n`);
    expect(result.code).toBe(2);
    expect(result.stderr.length).toBeGreaterThan(0);
    expect(result.json).toBeUndefined();
  });

  it.each([
    ['not JSON', '{nope'],
    ['a JSON array', '[]'],
    ['invalid redirect URIs', JSON.stringify({ redirect_uris: ['not a uri'] })],
    ['an unsupported grant type', JSON.stringify({ redirect_uris: ['https://a.example/cb'], grant_types: ['password'] })],
    ['an operator object as client_id', JSON.stringify({ client_id: { $ne: null }, redirect_uris: ['https://a.example/cb'] })],
  ])('refuses client metadata that is %s with exit 2', async (_label, stdin) => {
    const result = await cli('client create', stdin);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /);
  });

  it('generates production key material that the configuration accepts', async () => {
    const result = await cli('keys generate');
    expect(result.code).toBe(0);
    const config = loadConfig({ NODE_ENV: 'production', ISSUER: 'https://id.example.com', ...result.json });
    expect(config.keys?.jwks.keys.map((key) => key.alg)).toEqual(['RS256', 'ES256', 'EdDSA']);
  });

  it('treats operator-looking option values as plain strings', async () => {
    const result = await cli('user create --tenant {"$ne":null} --email x@example.com --password-stdin', `${PASSWORD}\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no company with slug {"$ne":null}');
  });
});
