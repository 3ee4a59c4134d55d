export { providerClientValidator } from './client-validation.js';
export { createProvider, INTERACTION_PATH, type ProviderDependencies } from './provider.js';
export { revokeGrantArtifacts } from './grant-revocation.js';
export {
  ACCOUNT_PORTAL_CLIENT_ID,
  ACR_MULTI_FACTOR,
  ACR_PASSWORD,
  skipsConsent,
} from './client-metadata.js';
export { StoreUnavailableError } from './store-errors.js';
export { ActiveCompanies, COMPANY_RESULT } from './active-company.js';
export { activeCompanyOfToken, companyAwareGrantLoader, narrowedToRoles, type PermissionsOf } from './tenancy.js';
export { RESOURCE_PERMISSIONS_MARKER } from './authorization-details.js';
export { COMPANY_PROMPT, interactionPolicyWithCompany, requestedCompanySlug } from './company-prompt.js';
export { auditTokenEvents } from './token-audit.js';
