import type { AuditRecorder, RequestMeta } from '../audit/index.js';
import { revokeGrantArtifacts } from '../oidc/index.js';
import { NotFoundError } from '../shared/errors.js';
import type { OidcArtifact, OidcArtifactStore } from '../storage/ports.js';

/** oidc-provider's session model, and our record of where and when it was used (keyed by the session's uid). */
const SESSION_MODEL = 'Session';
const ACTIVITY_MODEL = 'SessionActivity';

export interface SessionView {
  /** The session's public identifier. Never the session id itself: that is the cookie's secret value. */
  id: string;
  createdAt: Date;
  lastUsedAt: Date;
  ip: string | null;
  userAgent: string | null;
  clients: string[];
  current: boolean;
}

interface ProviderSession extends OidcArtifact {
  uid: string;
  jti: string;
  accountId: string;
  loginTs?: number;
  exp?: number;
  authorizations?: Record<string, { grantId?: string; sid?: string }>;
}

/** A session that was ended here: its account and, per app signed in through it, that app's session id (sid). */
export interface EndedSession {
  accountId: string;
  sidsByClient: Record<string, string>;
}

interface SessionActivity extends OidcArtifact {
  accountId: string;
  createdAt: number;
  lastUsedAt: number;
  ip: string | null;
  userAgent: string | null;
}

/**
 * A user's browser sessions: list them, revoke one or all. Revoking a session also revokes the grants (and so
 * the refresh and opaque access tokens) that apps obtained through it; the browser's old cookie then finds no
 * session and leads to the login page.
 */
export class SessionService {
  constructor(
    private readonly artifacts: OidcArtifactStore,
    private readonly audit: AuditRecorder,
    private readonly now: () => number = Date.now,
  ) {}

  private readonly endListeners: Array<(ended: EndedSession) => Promise<void>> = [];

  /** Called after each session this service ends (e.g. to tell the apps: back-channel logout). Must not throw. */
  onSessionEnded(listener: (ended: EndedSession) => Promise<void>): void {
    this.endListeners.push(listener);
  }

  /** Remembers who used a session, from where, and when; called on sign-in and on each authorization. */
  async recordActivity(session: { uid: string; accountId: string; exp?: number }, ip: string, userAgent: string | undefined) {
    const existing = (await this.artifacts.find(ACTIVITY_MODEL, session.uid)) as SessionActivity | undefined;
    if (existing && existing.accountId !== session.accountId) return;
    const now = this.now();
    const ttl = session.exp ? Math.max(1, session.exp - Math.floor(now / 1000)) : 24 * 60 * 60;
    const activity: SessionActivity = {
      accountId: session.accountId,
      createdAt: existing?.createdAt ?? now,
      lastUsedAt: now,
      ip,
      userAgent: userAgent?.slice(0, 512) ?? null,
    };
    await this.artifacts.upsert(ACTIVITY_MODEL, session.uid, activity, ttl);
  }

  async list(accountId: string, currentSessionUid?: string): Promise<SessionView[]> {
    const sessions = await this.sessionsOf(accountId);
    const views = await Promise.all(
      sessions.map(async (session) => {
        const activity = (await this.artifacts.find(ACTIVITY_MODEL, session.uid)) as SessionActivity | undefined;
        const createdAt = activity?.createdAt ?? (session.loginTs ?? 0) * 1000;
        return {
          id: session.uid,
          createdAt: new Date(createdAt),
          lastUsedAt: new Date(activity?.lastUsedAt ?? createdAt),
          ip: activity?.ip ?? null,
          userAgent: activity?.userAgent ?? null,
          clients: Object.keys(session.authorizations ?? {}),
          current: session.uid === currentSessionUid,
        };
      }),
    );
    return views.sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime());
  }

  /** Revokes one of the account's sessions; someone else's session id is simply not found. */
  async revoke(accountId: string, sessionUid: string, meta?: RequestMeta): Promise<void> {
    const session = (await this.artifacts.findByUid(SESSION_MODEL, sessionUid)) as ProviderSession | undefined;
    if (!session || session.accountId !== accountId) throw new NotFoundError('no such session');
    await this.end(session);
    await this.audit.record({ type: 'session.revoked', subject: accountId, actor: accountId, resource: `session:${sessionUid}`, ...meta });
  }

  /** Revokes every session of the account except, optionally, the one in use. Returns how many ended. */
  async revokeAll(accountId: string, exceptSessionUid?: string, meta?: RequestMeta): Promise<number> {
    const sessions = (await this.sessionsOf(accountId)).filter((session) => session.uid !== exceptSessionUid);
    await Promise.all(sessions.map((session) => this.end(session)));
    await this.audit.record({ type: 'sessions.revoked_all', subject: accountId, ...meta, details: { count: sessions.length } });
    return sessions.length;
  }

  /**
   * After a password change or reset, MFA removal or an admin disabling the account: every session, and every
   * grant the account ever gave (refresh tokens included), including those not tied to a live session.
   */
  async revokeEverything(accountId: string): Promise<void> {
    await this.revokeAll(accountId);
    const grants = await this.artifacts.listByAccount('Grant', accountId);
    await Promise.all(grants.map((grant) => revokeGrantArtifacts(this.artifacts, grant.id)));
  }

  private async sessionsOf(accountId: string): Promise<ProviderSession[]> {
    const entries = await this.artifacts.listByAccount(SESSION_MODEL, accountId);
    return entries
      .map((entry) => ({ ...(entry.payload as ProviderSession), jti: entry.id }))
      .filter((session) => typeof session.uid === 'string');
  }

  private async end(session: ProviderSession): Promise<void> {
    const grantIds = Object.values(session.authorizations ?? {})
      .map((authorization) => authorization.grantId)
      .filter((grantId): grantId is string => typeof grantId === 'string');
    await Promise.all(grantIds.map((grantId) => revokeGrantArtifacts(this.artifacts, grantId)));
    await Promise.all([this.artifacts.destroy(SESSION_MODEL, session.jti), this.artifacts.destroy(ACTIVITY_MODEL, session.uid)]);
    const sidsByClient = Object.fromEntries(
      Object.entries(session.authorizations ?? {}).flatMap(([clientId, { sid }]) => (typeof sid === 'string' ? [[clientId, sid]] : [])),
    );
    await Promise.all(this.endListeners.map((listener) => listener({ accountId: session.accountId, sidsByClient })));
  }
}
