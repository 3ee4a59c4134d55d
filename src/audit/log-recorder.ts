import type { Logger } from '../observability/logger.js';
import type { AuditEvent, AuditRecorder } from './audit-event.js';

/** Until the stored trail exists, events go to the structured log under one searchable message. */
export class LogAuditRecorder implements AuditRecorder {
  constructor(private readonly logger: Logger) {}

  async record(event: AuditEvent): Promise<void> {
    this.logger.info({ audit: { ...event, at: new Date().toISOString() } }, 'audit');
  }
}
