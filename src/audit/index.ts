export type { AuditEvent, AuditEventType, AuditRecorder, BackgroundAuditRecorder, RequestMeta } from './audit-event.js';
export { AuditTrail, PLATFORM_CHAIN, type ChainBreak, type VerificationResult } from './audit-trail.js';
