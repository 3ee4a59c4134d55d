export type { AuditEvent, AuditEventType, AuditRecorder, RequestMeta } from './audit-event.js';
export { AuditTrail, PLATFORM_CHAIN, type ChainBreak, type VerificationResult } from './audit-trail.js';
