import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/config/index.js';
import { loadRouteRules, RouteRules } from '../../src/gateway/index.js';

describe('forward-auth route rules', () => {
  const rules = new RouteRules([
    { method: 'GET', path: '/api/devices/*', scopes: ['devices:read'] },
    { method: 'GET', path: '/api/devices/*/logs/**', scopes: ['logs:read'] },
    { method: '*', path: '/api/devices/**', scopes: ['devices:write'] },
  ]);

  it('matches `*` to one segment and `**` to any rest, first rule first, query ignored', () => {
    expect(rules.requirementFor('GET', '/api/devices/7?x=/y')).toEqual({ scopes: ['devices:read'], audience: undefined });
    expect(rules.requirementFor('GET', '/api/devices/7/logs/2026/11')?.scopes).toEqual(['logs:read']);
    expect(rules.requirementFor('PATCH', '/api/devices/7')?.scopes).toEqual(['devices:write']);
    expect(rules.requirementFor('GET', '/api/devices')).toBeUndefined();
    expect(rules.requirementFor('GET', '/api/devicesX/7')).toBeUndefined();
  });

  it('decodes escapes before matching, and matches nothing for paths that could be read two ways', () => {
    expect(rules.requirementFor('GET', '/api/%64evices/7')?.scopes).toEqual(['devices:read']);
    for (const uri of ['/api/devices/7/../../admin', '/api/devices/%2e%2e/x', '/api/devices/a%2fb', '/api//devices/7', '/api/devices/%zz', 'api/devices/7']) {
      expect(rules.requirementFor('GET', uri)).toBeUndefined();
    }
  });

  it('stops start-up with a message naming FORWARD_AUTH_RULES_FILE when the file is wrong', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tessera-rules-'));
    const write = (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      return path.join(dir, name);
    };
    const bad = [
      write('not-json.json', '{ rules: '),
      write('no-slash.json', JSON.stringify({ rules: [{ method: 'GET', path: 'api', scopes: [] }] })),
      write('lower-method.json', JSON.stringify({ rules: [{ method: 'get', path: '/api', scopes: [] }] })),
      write('extra-field.json', JSON.stringify({ rules: [{ method: 'GET', path: '/api', scopes: [], scope: 'x' }] })),
      path.join(dir, 'missing.json'),
    ];
    for (const file of bad) {
      expect(() => loadRouteRules(file)).toThrow(ConfigError);
      expect(() => loadRouteRules(file)).toThrow(/FORWARD_AUTH_RULES_FILE/);
    }
    expect(loadRouteRules(undefined)).toBeUndefined();
    expect(loadRouteRules(path.resolve('docs/gateways/rules.example.json'))?.requirementFor('GET', '/api/health')).toEqual({ scopes: [], audience: undefined });
  });
});
