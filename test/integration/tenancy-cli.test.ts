import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliAgainst } from '../support/cli.js';
import { PASSWORD } from '../support/fixtures.js';

/** Roles, groups and memberships through the admin CLI against a real SQLite file; each company sees only its own. */
describe('cli: roles, groups and memberships', () => {
  let dataDir: string;
  const cli = (args: string, stdin = '') => cliAgainst({ DATA_DIR: dataDir })(args, stdin);

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tessera-tenancy-cli-'));
    expect((await cli('tenant create acme --name Acme')).code).toBe(0);
    expect((await cli('tenant create globex --name Globex')).code).toBe(0);
    expect((await cli('user create --tenant acme --email ada@example.com --password-stdin', `${PASSWORD}\n`)).code).toBe(0);
    expect((await cli('user create --tenant globex --email bob@example.com --password-stdin', `${PASSWORD}\n`)).code).toBe(0);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates roles with permissions on every resource and on named ones, and lists them', async () => {
    const created = await cli('role create --tenant acme --name operator --permissions "devices:read; device dev_123: devices:vnc"');
    expect(created).toMatchObject({
      code: 0,
      json: { name: 'operator', tenant: 'acme', permissions: ['devices:read', 'device dev_123: devices:vnc'] },
    });
    const updated = await cli('role update --tenant acme --name operator --permissions "devices:read; devices:write"');
    expect(updated.json.permissions).toEqual(['devices:read', 'devices:write']);
    expect((await cli('role list --tenant acme')).json.roles.map((role: { name: string }) => role.name)).toEqual(['operator']);
  });

  it('gives roles directly and through groups', async () => {
    expect(await cli('user grant-role --tenant acme --email ada@example.com --role operator')).toMatchObject({
      code: 0,
      json: { tenant: 'acme', roles: ['operator'] },
    });
    expect((await cli('group create --tenant acme --name night-shift')).code).toBe(0);
    expect((await cli('group add-member --tenant acme --group night-shift --email ada@example.com')).code).toBe(0);
    const withRole = await cli('group add-role --tenant acme --group night-shift --role operator');
    expect(withRole).toMatchObject({ code: 0, json: { name: 'night-shift', roles: ['operator'] } });
    expect(withRole.json.members).toHaveLength(1);
  });

  it('adds an existing account to a second company, keeping the first', async () => {
    expect((await cli('role create --tenant globex --name viewer --permissions devices:read')).code).toBe(0);
    const added = await cli('user add-to-tenant --tenant globex --email ada@example.com --role viewer');
    expect(added).toMatchObject({ code: 0, json: { tenant: 'globex', roles: ['viewer'] } });
    expect((await cli('user grant-role --tenant acme --email ada@example.com --role operator')).json.roles).toEqual(['operator']);
  });

  it('keeps each company to its own roles, groups and members', async () => {
    expect((await cli('role create --tenant globex --name secret-role --permissions devices:write')).code).toBe(0);
    const acmeRoles = (await cli('role list --tenant acme')).json.roles.map((role: { name: string }) => role.name);
    expect(acmeRoles).not.toContain('secret-role');
    expect(acmeRoles).not.toContain('viewer');
    expect((await cli('group list --tenant globex')).json.groups).toEqual([]);

    // Acme cannot use Globex's role, change it, or put Globex's member into an Acme group.
    const attempts = [
      'group add-role --tenant acme --group night-shift --role secret-role',
      'user grant-role --tenant acme --email ada@example.com --role secret-role',
      'role update --tenant acme --name secret-role --permissions devices:read',
      'group add-member --tenant acme --group night-shift --email bob@example.com',
      'group add-member --tenant globex --group night-shift --email bob@example.com',
    ];
    for (const attempt of attempts) {
      const result = await cli(attempt);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/no such (role|group)|not a member/);
    }
    expect((await cli('role list --tenant globex')).json.roles.find((role: { name: string }) => role.name === 'secret-role').permissions).toEqual([
      'devices:write',
    ]);
  });

  it.each([
    ['bad permissions', 'role create --tenant acme --name broken --permissions "device: devices:vnc"'],
    ['a bad role name', 'role create --tenant acme --name "bad name" --permissions devices:read'],
    ['a duplicate role', 'role create --tenant acme --name operator --permissions devices:read'],
    ['an unknown company', 'role list --tenant nobody'],
    ['a missing --role', 'user grant-role --tenant acme --email ada@example.com'],
    ['an unknown email', 'group add-member --tenant acme --group night-shift --email nobody@example.com'],
  ])('refuses %s with exit code 2 and a message', async (_case, args) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: /);
  });
});
