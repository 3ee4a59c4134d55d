import mongoose, { type Model } from 'mongoose';
import { assertConsumable, assertListedByAccount, type ConsumeResult, type OidcArtifact, type OidcArtifactStore } from '../ports.js';
import { mongoCall } from './errors.js';
import { lookupKey } from './lookup-key.js';
import type { ArtifactDocument } from './models.js';

interface Entry {
  id: string;
  payload: OidcArtifact;
}

/**
 * oidc-provider artifacts in one collection, one document each, `_id` = `<model>:<id>` (model names are
 * identifiers without a colon). Meant for the long-lived models, grants and refresh tokens (see
 * RoutingArtifactStore), though it serves any model, which is how the contract suite tests it.
 *
 * Expiry: a TTL index deletes expired documents within about a minute, and every read also filters on
 * expiresAt, so an expired artifact is invisible at once.
 */
export class MongoArtifactStore implements OidcArtifactStore {
  constructor(
    private readonly artifacts: Model<ArtifactDocument>,
    private readonly now: () => number = Date.now,
  ) {}

  upsert(model: string, id: string, payload: OidcArtifact, expiresInSeconds: number): Promise<void> {
    const expiresAt = expiresInSeconds > 0 ? new Date(this.now() + expiresInSeconds * 1000) : null;
    return mongoCall(async () => {
      await this.artifacts.updateOne(
        { _id: documentId(model, id) },
        {
          $set: {
            model,
            artifactId: id,
            payload: JSON.stringify(payload),
            grantId: stringOrNull(payload.grantId),
            uid: stringOrNull(payload.uid),
            userCode: stringOrNull(payload.userCode),
            accountId: stringOrNull(payload.accountId),
            expiresAt,
          },
          // Replacing a payload keeps a consumed mark, as the other adapters do.
          $setOnInsert: { consumedAt: null },
        },
        { upsert: true },
      );
    });
  }

  find(model: string, id: string): Promise<OidcArtifact | undefined> {
    return mongoCall(async () => toArtifact(await this.findOne({ _id: documentId(model, id) })));
  }

  findByUid(model: string, uid: string): Promise<OidcArtifact | undefined> {
    return mongoCall(async () => toArtifact(await this.findOne({ model: lookupKey(model), uid: lookupKey(uid) })));
  }

  findByUserCode(model: string, userCode: string): Promise<OidcArtifact | undefined> {
    return mongoCall(async () =>
      toArtifact(await this.findOne({ model: lookupKey(model), userCode: lookupKey(userCode) })),
    );
  }

  async consume(model: string, id: string): Promise<ConsumeResult> {
    assertConsumable(model);
    const _id = documentId(model, id);
    return mongoCall(async () => {
      const now = this.now();
      // Check and mark in one atomic document update: of any number of concurrent calls, exactly one matches
      // `consumedAt: null`. A retried write (retryWrites) returns the first attempt's outcome, not a second one.
      const marked = await this.artifacts
        .findOneAndUpdate({ _id, consumedAt: null, ...live(now) }, { $set: { consumedAt: new Date(now) } })
        .select({ _id: 1 })
        .lean();
      if (marked) return 'consumed';
      return (await this.artifacts.exists({ _id, ...live(now) })) ? 'already-consumed' : 'not-found';
    });
  }

  destroy(model: string, id: string): Promise<void> {
    return mongoCall(async () => void (await this.artifacts.deleteOne({ _id: documentId(model, id) })));
  }

  revokeByGrantId(model: string, grantId: string): Promise<void> {
    return mongoCall(async () => {
      await this.artifacts.deleteMany({ model: lookupKey(model), grantId: lookupKey(grantId) });
    });
  }

  async listByAccount(model: string, accountId: string): Promise<Entry[]> {
    assertListedByAccount(model);
    return mongoCall(async () => {
      const docs = await this.artifacts
        .find({ model: lookupKey(model), accountId: lookupKey(accountId), ...live(this.now()) })
        .lean<ArtifactDocument[]>();
      return docs.map((doc) => ({ id: doc.artifactId, payload: toArtifact(doc)! }));
    });
  }

  private findOne(filter: { _id: string } | { model: string; uid: string } | { model: string; userCode: string }) {
    return this.artifacts.findOne({ ...filter, ...live(this.now()) }).lean<ArtifactDocument>();
  }
}

function documentId(model: string, id: string): string {
  return `${lookupKey(model)}:${lookupKey(id)}`;
}

/**
 * Not yet expired, or never expiring. The comparison is the adapter's own operator, so it is marked trusted:
 * sanitizeFilter would otherwise wrap it in $eq like any operator that came from input.
 */
function live(now: number) {
  return { $or: [{ expiresAt: null }, { expiresAt: mongoose.trusted({ $gt: new Date(now) }) }] };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function toArtifact(doc: ArtifactDocument | null): OidcArtifact | undefined {
  if (!doc) return undefined;
  const payload = JSON.parse(doc.payload) as OidcArtifact;
  // oidc-provider reads `consumed` as a truthy epoch in seconds.
  return doc.consumedAt ? { ...payload, consumed: Math.floor(doc.consumedAt.getTime() / 1000) } : payload;
}
