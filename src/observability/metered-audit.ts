import type { AuditEvent, AuditRecorder } from '../audit/index.js';
import type { Metrics } from './metrics.js';

/**
 * Counts sign-in outcomes as they are recorded in the audit trail: every service already reports each attempt
 * there exactly once, so counting at this seam needs no second call site to keep in step. The event is counted
 * before it is stored, so a failing audit store does not hide attempts from the dashboards.
 */
export class MeteredAuditRecorder implements AuditRecorder {
  constructor(
    private readonly inner: AuditRecorder,
    private readonly metrics: Metrics,
  ) {}

  record(event: AuditEvent): Promise<void> {
    this.count(event);
    return this.inner.record(event);
  }

  private count(event: AuditEvent): void {
    switch (event.type) {
      case 'login.succeeded':
        this.metrics.logins.inc({ outcome: 'succeeded', step: event.details?.factor === 'otp' ? 'second_factor' : 'password' });
        break;
      case 'login.failed':
        this.metrics.logins.inc({ outcome: 'failed', step: 'password' });
        break;
      case 'mfa.failed':
        this.metrics.logins.inc({ outcome: 'failed', step: 'second_factor' });
        break;
      case 'login.locked':
        this.metrics.lockouts.inc();
        break;
      default:
        break;
    }
  }
}
