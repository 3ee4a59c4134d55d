export type { AuditEvent, AuditEventType, AuditRecorder, RequestMeta } from './audit-event.js';
export { LogAuditRecorder } from './log-recorder.js';
