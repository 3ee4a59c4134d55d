export { ACCOUNT_SCOPE, selfServiceApi, type SelfServiceApiDependencies } from './api.js';
export { selfServicePages, type SelfServiceDependencies } from './pages.js';
