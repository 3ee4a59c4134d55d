import type { PermissionRecord } from '../storage/ports.js';

/** A scope the user holds on named resources only, as an RFC 9396 authorization details object. */
export interface ResourceAuthorizationDetail {
  type: string;
  /** The API the detail is for (RFC 9396 §2.2 `locations`). */
  locations: string[];
  actions: string[];
  identifier: string;
}

/**
 * What a user may do in one company: the union of the permissions of their roles (direct and via groups).
 * Scopes on every resource of a kind become token scopes; scopes on named resources become authorization details.
 */
export class EffectivePermissions {
  private readonly everywhere: ReadonlySet<string>;
  private readonly named: ReadonlyArray<PermissionRecord & { resource: NonNullable<PermissionRecord['resource']> }>;

  constructor(permissions: PermissionRecord[]) {
    this.everywhere = new Set(permissions.filter((permission) => !permission.resource).map((permission) => permission.scope));
    this.named = permissions.filter((permission) => permission.resource !== null) as EffectivePermissions['named'];
  }

  /** The scopes among `scopes` the user holds on every resource of their kind. */
  allowedScopes(scopes: Iterable<string>): string[] {
    return [...scopes].filter((scope) => this.everywhere.has(scope));
  }

  /**
   * For the scopes among `scopes` the user holds only on named resources: one detail per resource, listing the
   * scopes as its actions. A scope the user holds everywhere needs no detail.
   */
  authorizationDetails(scopes: Iterable<string>, resourceServer: string): ResourceAuthorizationDetail[] {
    const wanted = new Set(scopes);
    const byResource = new Map<string, ResourceAuthorizationDetail>();
    for (const { scope, resource } of this.named) {
      if (!wanted.has(scope) || this.everywhere.has(scope)) continue;
      const key = `${resource.type}\u0000${resource.id}`;
      const detail = byResource.get(key) ?? { type: resource.type, locations: [resourceServer], actions: [], identifier: resource.id };
      if (!detail.actions.includes(scope)) detail.actions.push(scope);
      byResource.set(key, detail);
    }
    return [...byResource.values()];
  }

  /** Scopes the user holds on at least one resource (everywhere or named). */
  heldScopes(scopes: Iterable<string>): string[] {
    const named = new Set(this.named.map((permission) => permission.scope));
    return [...scopes].filter((scope) => this.everywhere.has(scope) || named.has(scope));
  }
}
