import type { AccountDeletion, AccountService, MfaService, PasswordManagement } from '../accounts/index.js';
import type { AuditTrail } from '../audit/index.js';
import type { ClientMetadataValidator, ClientService, ResourceServerService } from '../clients/index.js';
import type { AccessChanges } from '../permissions/index.js';
import type { SessionService } from '../sessions/index.js';
import type {
  ClientRepository,
  GroupRepository,
  MembershipRepository,
  ResourceServerRepository,
  RoleRepository,
  TenantRepository,
} from '../storage/ports.js';
import type { AccessControlService, TenantService } from '../tenants/index.js';
import type { AdminAudit } from './admin-audit.js';

/** What the admin resources act through: the domain services, and the repositories they lack a read for. */
export interface AdminServices {
  accounts: AccountService;
  mfa: MfaService;
  passwords: PasswordManagement;
  tenants: TenantService;
  tenantRecords: TenantRepository;
  memberships: MembershipRepository;
  accessControl: AccessControlService;
  roleRecords: RoleRepository;
  groupRecords: GroupRepository;
  /** Changes that take access away: they also end the affected grants in the company at once. */
  accessChanges: AccessChanges;
  accountDeletion: AccountDeletion;
  clients: ClientService;
  clientRecords: ClientRepository;
  validateClient: ClientMetadataValidator;
  resourceServers: ResourceServerService;
  resourceServerRecords: ResourceServerRepository;
  sessions: SessionService;
  auditTrail: AuditTrail;
  adminAudit: AdminAudit;
}
