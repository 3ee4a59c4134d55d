import type { Model } from 'mongoose';
import type {
  ClientRecord,
  ClientRepository,
  KeyMaterialRecord,
  KeyMaterialRepository,
  ResourceServerRecord,
  ResourceServerRepository,
  RotatedSigningKeyRecord,
} from '../ports.js';
import { registersRedirectOrigin } from '../client-origins.js';
import { isDuplicateKey, mongoCall } from './errors.js';
import { lookupKey } from './lookup-key.js';
import {
  KEY_MATERIAL_ID,
  type ClientDocument,
  type KeyMaterialDocument,
  type ResourceServerDocument,
  SIGNING_KEY_MODEL,
  type SigningKeyDocument,
} from './models.js';

/** Clients, resource servers and key material: what the provider itself is configured with. */

function toClient(doc: ClientDocument): ClientRecord {
  return { clientId: doc._id, tenantId: doc.tenantId ?? null, metadata: JSON.parse(doc.metadata) as Record<string, unknown>, createdAt: doc.createdAt };
}

export class MongoClientRepository implements ClientRepository {
  constructor(private readonly clients: Model<ClientDocument>) {}

  create(client: ClientRecord): Promise<void> {
    return mongoCall(async () => {
      await this.clients.create({
        _id: client.clientId,
        tenantId: client.tenantId,
        metadata: JSON.stringify(client.metadata),
        createdAt: client.createdAt,
      });
    }, 'a client with this client_id already exists');
  }

  find(clientId: string): Promise<ClientRecord | null> {
    return mongoCall(async () => {
      const doc = await this.clients.findOne({ _id: lookupKey(clientId) }).lean<ClientDocument>();
      return doc ? toClient(doc) : null;
    });
  }

  listForTenant(tenantId: string, page: { afterClientId?: string; limit: number }): Promise<ClientRecord[]> {
    return mongoCall(async () => {
      const docs = await this.clients
        .find({ tenantId: lookupKey(tenantId), ...(page.afterClientId === undefined ? {} : { _id: { $gt: lookupKey(page.afterClientId) } }) })
        .sort({ _id: 1 })
        .limit(page.limit)
        .lean<ClientDocument[]>();
      return docs.map(toClient);
    });
  }

  updateMetadata(clientId: string, metadata: Record<string, unknown>): Promise<boolean> {
    return mongoCall(async () => {
      const result = await this.clients.updateOne({ _id: lookupKey(clientId) }, { $set: { metadata: JSON.stringify(metadata) } });
      return result.matchedCount > 0;
    });
  }

  delete(clientId: string): Promise<void> {
    return mongoCall(async () => {
      await this.clients.deleteOne({ _id: lookupKey(clientId) });
    });
  }

  hasRedirectUriOrigin(origin: string): Promise<boolean> {
    // Metadata is stored as one JSON string (and filters are sanitised), so the check runs here; registries hold
    // tens to thousands of clients, and browsers cache a preflight answer for an hour.
    return mongoCall(async () => {
      const docs = await this.clients.find({}, { metadata: 1 }).lean<Array<Pick<ClientDocument, 'metadata'>>>();
      return docs.some((doc) => registersRedirectOrigin(JSON.parse(doc.metadata) as Record<string, unknown>, origin));
    });
  }
}

function toResourceServer(doc: ResourceServerDocument): ResourceServerRecord {
  return {
    identifier: doc._id,
    tenantId: doc.tenantId ?? null,
    scopes: [...(doc.scopes ?? [])],
    jwtAccessTokens: doc.jwtAccessTokens,
    accessTokenTtl: doc.accessTokenTtl ?? null,
    ...(doc.signingAlg ? { signingAlg: doc.signingAlg } : {}),
    createdAt: doc.createdAt,
  };
}

export class MongoResourceServerRepository implements ResourceServerRepository {
  constructor(private readonly resourceServers: Model<ResourceServerDocument>) {}

  create(server: ResourceServerRecord): Promise<void> {
    return mongoCall(async () => {
      await this.resourceServers.create({
        _id: server.identifier,
        tenantId: server.tenantId,
        scopes: server.scopes,
        jwtAccessTokens: server.jwtAccessTokens,
        accessTokenTtl: server.accessTokenTtl,
        signingAlg: server.signingAlg ?? null,
        createdAt: server.createdAt,
      });
    }, 'a resource server with this identifier already exists');
  }

  find(identifier: string): Promise<ResourceServerRecord | null> {
    return mongoCall(async () => {
      const doc = await this.resourceServers.findOne({ _id: lookupKey(identifier) }).lean<ResourceServerDocument>();
      return doc ? toResourceServer(doc) : null;
    });
  }

  listForTenant(tenantId: string, page: { afterIdentifier?: string; limit: number }): Promise<ResourceServerRecord[]> {
    return mongoCall(async () => {
      const docs = await this.resourceServers
        .find({ tenantId: lookupKey(tenantId), ...(page.afterIdentifier === undefined ? {} : { _id: { $gt: lookupKey(page.afterIdentifier) } }) })
        .sort({ _id: 1 })
        .limit(page.limit)
        .lean<ResourceServerDocument[]>();
      return docs.map(toResourceServer);
    });
  }

  delete(identifier: string): Promise<void> {
    return mongoCall(async () => {
      await this.resourceServers.deleteOne({ _id: lookupKey(identifier) });
    });
  }

  longestAccessTokenTtl(): Promise<number | null> {
    return mongoCall(async () => {
      const [longest] = await this.resourceServers
        .find({ accessTokenTtl: { $ne: null } }, { accessTokenTtl: 1 })
        .sort({ accessTokenTtl: -1 })
        .limit(1)
        .lean<Array<Pick<ResourceServerDocument, 'accessTokenTtl'>>>();
      return longest?.accessTokenTtl ?? null;
    });
  }
}

export class MongoKeyMaterialRepository implements KeyMaterialRepository {
  constructor(
    private readonly keyMaterial: Model<KeyMaterialDocument>,
    // Compiled by defineModels on the same connection.
    private readonly signingKeys: Model<SigningKeyDocument> = keyMaterial.db.model<SigningKeyDocument>(SIGNING_KEY_MODEL),
  ) {}

  addSigningKey(signingKey: RotatedSigningKeyRecord): Promise<void> {
    return mongoCall(async () => {
      await this.signingKeys.create({
        _id: signingKey.kid,
        alg: signingKey.alg,
        encryptedJwk: signingKey.encryptedJwk,
        activeFrom: signingKey.activeFrom,
        createdAt: signingKey.createdAt,
      });
    }, 'a signing key with this kid already exists');
  }

  listSigningKeys(): Promise<RotatedSigningKeyRecord[]> {
    return mongoCall(async () => {
      const docs = await this.signingKeys.find().sort({ createdAt: 1, _id: 1 }).lean<SigningKeyDocument[]>();
      return docs.map((doc) => ({ kid: doc._id, alg: doc.alg, encryptedJwk: doc.encryptedJwk, activeFrom: doc.activeFrom, createdAt: doc.createdAt }));
    });
  }

  removeSigningKey(kid: string): Promise<void> {
    return mongoCall(async () => {
      await this.signingKeys.deleteOne({ _id: lookupKey(kid) });
    });
  }

  load(): Promise<KeyMaterialRecord | null> {
    return mongoCall(() => this.read());
  }

  /**
   * Instances starting at once on an empty database must all end up with the same keys: first writer wins.
   * $setOnInsert writes only when the upsert inserts; otherwise the stored document is returned untouched.
   */
  saveIfAbsent(material: KeyMaterialRecord): Promise<KeyMaterialRecord> {
    return mongoCall(async () => {
      try {
        const stored = await this.keyMaterial
          .findOneAndUpdate(
            { _id: KEY_MATERIAL_ID },
            { $setOnInsert: { jwks: material.jwks, cookieKeys: material.cookieKeys } },
            { upsert: true, returnDocument: 'after' },
          )
          .lean<KeyMaterialDocument>();
        return toKeyMaterial(stored)!;
      } catch (error) {
        // MongoDB retries an upsert that lost an insert race on _id; should one still fail, the winner's keys
        // are stored and are the answer.
        if (!isDuplicateKey(error)) throw error;
        return (await this.read())!;
      }
    });
  }

  private async read(): Promise<KeyMaterialRecord | null> {
    return toKeyMaterial(await this.keyMaterial.findOne({ _id: KEY_MATERIAL_ID }).lean<KeyMaterialDocument>());
  }
}

function toKeyMaterial(doc: KeyMaterialDocument | null): KeyMaterialRecord | null {
  return doc ? { jwks: doc.jwks, cookieKeys: [...(doc.cookieKeys ?? [])] } : null;
}
