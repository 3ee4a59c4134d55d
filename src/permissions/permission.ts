import { ValidationError } from '../shared/errors.js';
import type { PermissionRecord } from '../storage/ports.js';

/** RFC 6749 §3.3 scope-token, minus the `:` separator's special meaning (scopes such as `devices:read` keep it). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
const RESOURCE_TYPE = /^[a-z][a-z0-9_-]{0,63}$/;
const RESOURCE_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const MAX_PERMISSIONS = 200;

/**
 * Reads a role's permissions from text, `;`-separated:
 *   `devices:read`                       the scope on every resource of its kind
 *   `device dev_123: devices:vnc`        the scope on one named resource
 *   `device dev_1 dev_2: devices:vnc`    the same on several named resources (one permission each)
 * Bad input names the offending part.
 */
export function parsePermissions(text: unknown): PermissionRecord[] {
  if (typeof text !== 'string') throw new ValidationError('permissions must be text', 'permissions');
  const permissions: PermissionRecord[] = [];
  for (const part of text.split(';').map((each) => each.trim()).filter(Boolean)) {
    permissions.push(...parsePermission(part));
  }
  if (permissions.length > MAX_PERMISSIONS) {
    throw new ValidationError(`a role holds at most ${MAX_PERMISSIONS} permissions`, 'permissions');
  }
  return dedupe(permissions);
}

function parsePermission(part: string): PermissionRecord[] {
  const colonSpace = part.indexOf(': ');
  if (colonSpace === -1) return [{ scope: scopeToken(part), resource: null }];
  const [type, ...ids] = part.slice(0, colonSpace).trim().split(/\s+/);
  const scope = scopeToken(part.slice(colonSpace + 2).trim());
  if (!type || !RESOURCE_TYPE.test(type)) {
    throw new ValidationError(`invalid resource type in permission “${part}”`, 'permissions');
  }
  if (ids.length === 0 || !ids.every((id) => RESOURCE_ID.test(id))) {
    throw new ValidationError(`permission “${part}” must name resources as “<type> <id>…: <scope>”`, 'permissions');
  }
  return ids.map((id) => ({ scope, resource: { type, id } }));
}

function scopeToken(value: string): string {
  if (!SCOPE_TOKEN.test(value)) throw new ValidationError(`invalid scope “${value}” in permissions`, 'permissions');
  return value;
}

function dedupe(permissions: PermissionRecord[]): PermissionRecord[] {
  const seen = new Map(permissions.map((permission) => [formatPermission(permission), permission]));
  return [...seen.values()];
}

/** The text form parsePermissions reads back. */
export function formatPermission(permission: PermissionRecord): string {
  return permission.resource ? `${permission.resource.type} ${permission.resource.id}: ${permission.scope}` : permission.scope;
}
