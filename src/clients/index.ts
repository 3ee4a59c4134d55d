export { ClientService, type ClientMetadataValidator } from './client-service.js';
export { ResourceServerService, type NewResourceServer } from './resource-server-service.js';
