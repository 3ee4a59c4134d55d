import { describe, expect, it } from '@jest/globals';
import { companyOfSignIn } from '../../src/interactions/company-choice.js';
import { ACCOUNT_PORTAL_CLIENT_ID } from '../../src/oidc/index.js';
import { parsePermissions, permissionsShrank } from '../../src/permissions/index.js';
import type { TenantRecord } from '../../src/storage/ports.js';

describe('permissionsShrank: only a loss of access ends grants at once', () => {
  const shrank = (before: string, after: string) => permissionsShrank(parsePermissions(before), parsePermissions(after));

  it('is false for the same permissions, in any order, and for added ones', () => {
    expect(shrank('devices:read; devices:write', 'devices:write; devices:read')).toBe(false);
    expect(shrank('devices:read', 'devices:read; device dev_1: devices:vnc')).toBe(false);
  });

  it('is true when a scope, or a scope on one named resource, is gone', () => {
    expect(shrank('devices:read; devices:write', 'devices:read')).toBe(true);
    expect(shrank('device dev_1 dev_2: devices:vnc', 'device dev_1: devices:vnc')).toBe(true);
    // Everywhere became one device: narrower, although the scope is still there.
    expect(shrank('devices:vnc', 'device dev_1: devices:vnc')).toBe(true);
  });
});

describe('companyOfSignIn: the trail a sign-in event goes to', () => {
  const company = (slug: string): TenantRecord => ({ id: `id-${slug}`, slug, name: slug, mfaRequired: false, createdAt: new Date(0) });
  const acme = company('acme');
  const globex = company('globex');

  it('is the only company, or the one the request names, when the account is a member', () => {
    expect(companyOfSignIn([acme], { clientId: 'web' })).toBe('id-acme');
    expect(companyOfSignIn([acme, globex], { clientId: 'web', requestedCompany: 'globex' })).toBe('id-globex');
  });

  it('is not known before a chooser, for a company the account is not in, for no company, or for the account pages', () => {
    expect(companyOfSignIn([acme, globex], { clientId: 'web' })).toBeUndefined();
    expect(companyOfSignIn([acme], { clientId: 'web', requestedCompany: 'globex' })).toBeUndefined();
    expect(companyOfSignIn([], { clientId: 'web' })).toBeUndefined();
    expect(companyOfSignIn([acme], { clientId: ACCOUNT_PORTAL_CLIENT_ID })).toBeUndefined();
  });
});
