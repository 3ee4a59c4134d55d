import { describe, expect, it } from '@jest/globals';
import { EffectivePermissions, formatPermission, parsePermissions } from '../../src/permissions/index.js';
import { describeResourceScope } from '../../src/interactions/scope-descriptions.js';
import { ValidationError } from '../../src/shared/errors.js';

describe('permissions', () => {
  it('reads scopes on every resource and on named resources, one permission per named resource', () => {
    const permissions = parsePermissions('devices:read; device dev_1 dev_2: devices:vnc ;devices:read');
    expect(permissions).toEqual([
      { scope: 'devices:read', resource: null },
      { scope: 'devices:vnc', resource: { type: 'device', id: 'dev_1' } },
      { scope: 'devices:vnc', resource: { type: 'device', id: 'dev_2' } },
    ]);
    expect(permissions.map(formatPermission).join('; ')).toBe('devices:read; device dev_1: devices:vnc; device dev_2: devices:vnc');
  });

  it.each([
    ['a scope with a quote in it', 'devices"read'],
    ['a named permission without an id', 'device: devices:vnc'],
    ['a bad resource type', 'Device! dev_1: devices:vnc'],
    ['a bad resource id', 'device dev/1: devices:vnc'],
    ['not text', 42],
  ])('refuses %s, naming the field', (_case, input) => {
    expect(() => parsePermissions(input)).toThrow(ValidationError);
  });

  it('gives scopes held everywhere as token scopes and named-only ones as authorization details', () => {
    const effective = new EffectivePermissions(
      parsePermissions('devices:read; device dev_1: devices:vnc; device dev_1: devices:read; device dev_2: devices:vnc'),
    );
    const requested = ['devices:read', 'devices:write', 'devices:vnc'];
    expect(effective.allowedScopes(requested)).toEqual(['devices:read']);
    expect(effective.heldScopes(requested)).toEqual(['devices:read', 'devices:vnc']);
    expect(effective.authorizationDetails(requested, 'https://api.example')).toEqual([
      { type: 'device', locations: ['https://api.example'], actions: ['devices:vnc'], identifier: 'dev_1' },
      { type: 'device', locations: ['https://api.example'], actions: ['devices:vnc'], identifier: 'dev_2' },
    ]);
    expect(effective.authorizationDetails(['devices:read'], 'https://api.example')).toEqual([]);
  });

  it('holds nothing without permissions', () => {
    const none = new EffectivePermissions([]);
    expect(none.allowedScopes(['devices:read'])).toEqual([]);
    expect(none.authorizationDetails(['devices:vnc'], 'https://api.example')).toEqual([]);
  });
});

describe('consent words for API scopes', () => {
  it('names the action and the kind of resource, with the API', () => {
    expect(describeResourceScope('devices:read', 'https://api.example')).toBe('See your company’s devices (https://api.example)');
    expect(describeResourceScope('devices:vnc', 'https://api.example')).toBe(
      'Open remote screens (VNC) of your company’s devices (https://api.example)',
    );
    expect(describeResourceScope('reports', 'https://api.example')).toBe('Use “reports” on https://api.example');
    expect(describeResourceScope('devices:frobnicate', 'https://api.example')).toBe('Use “devices:frobnicate” on https://api.example');
  });
});
