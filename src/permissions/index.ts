export { EffectivePermissions, type ResourceAuthorizationDetail } from './effective-permissions.js';
export { formatPermission, parsePermissions } from './permission.js';
export { AccessChanges } from './access-changes.js';
export { AccessRevocation, permissionsShrank, type AccessRevocationContext } from './access-revocation.js';
