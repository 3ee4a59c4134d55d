import type { FieldEncryption } from '../crypto/index.js';
import type { OidcArtifactStore } from '../storage/ports.js';

/**
 * A sign-in between its password and its completion: the second factor is still to come, an authenticator is
 * being enrolled, the new recovery codes are on screen, or the company to act in is being chosen. Keyed by the
 * interaction, so it lives exactly as long as the sign-in may and belongs to the browser holding that
 * interaction's cookie.
 */
export type PendingStage =
  | { stage: 'second-factor' }
  | { stage: 'enrol'; secret: string }
  | { stage: 'recovery-codes' }
  /**
   * The account belongs to several companies and picks the one to act in: at the end of a sign-in (`amr` says how
   * it signed in), or for a session already signed in (the company prompt; no `amr`).
   */
  | { stage: 'choose-company'; amr?: string[] };

export type PendingLogin = PendingStage & { accountId: string };

const MODEL = 'PendingLogin';

export class PendingLogins {
  constructor(
    private readonly store: OidcArtifactStore,
    private readonly encryption: FieldEncryption,
    private readonly ttlSeconds: number,
  ) {}

  async save(interactionUid: string, pending: PendingLogin): Promise<void> {
    // The enrolment secret is as sensitive as a stored TOTP secret, so it is encrypted here too.
    const stored =
      pending.stage === 'enrol'
        ? { ...pending, secret: this.encryption.encrypt(pending.secret, context(interactionUid)) }
        : pending;
    await this.store.upsert(MODEL, interactionUid, stored, this.ttlSeconds);
  }

  async find(interactionUid: string): Promise<PendingLogin | undefined> {
    const stored = (await this.store.find(MODEL, interactionUid)) as PendingLogin | undefined;
    if (stored?.stage !== 'enrol') return stored;
    return { ...stored, secret: this.encryption.decrypt(stored.secret, context(interactionUid)) };
  }

  async clear(interactionUid: string): Promise<void> {
    await this.store.destroy(MODEL, interactionUid);
  }
}

function context(interactionUid: string): string {
  return `pending-login:${interactionUid}`;
}
