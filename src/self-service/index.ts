export { ACCOUNT_SCOPE, selfServiceApi, type SelfServiceApiDependencies } from './api.js';
export { selfServicePages, type SelfServiceDependencies } from './pages.js';
export { PersonalDataExport, type PersonalDataExportDependencies } from './personal-data-export.js';
