export { AccessControlService } from './access-control-service.js';
export { TenantService } from './tenant-service.js';
