export { EffectivePermissions, type ResourceAuthorizationDetail } from './effective-permissions.js';
export { formatPermission, parsePermissions } from './permission.js';
