export { TenantService } from './tenant-service.js';
