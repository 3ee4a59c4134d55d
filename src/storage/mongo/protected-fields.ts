import type { Model } from 'mongoose';
import type { ProtectedFieldKind, ProtectedFieldPage, ProtectedFieldStore } from '../protected-fields.js';
import { mongoCall } from './errors.js';
import { lookupKey } from './lookup-key.js';
import type { AccountDocument, ClientDocument } from './models.js';

/** Account fields are document fields; the client secret sits inside the metadata, stored as one JSON string. */
const ACCOUNT_PATHS = { 'account.name': 'name', 'account.totpSecret': 'mfa.totpSecret' } as const;

export class MongoProtectedFieldStore implements ProtectedFieldStore {
  constructor(
    private readonly accounts: Model<AccountDocument>,
    private readonly clients: Model<ClientDocument>,
  ) {}

  page(kind: ProtectedFieldKind, after: string | null, limit: number): Promise<ProtectedFieldPage> {
    return mongoCall(async () => {
      const afterOwner = after === null ? {} : { _id: { $gt: lookupKey(after) } };
      if (kind === 'client.secret') {
        const docs = await this.clients
          .find(afterOwner, { metadata: 1 })
          .sort({ _id: 1 })
          .limit(limit)
          .lean<Array<Pick<ClientDocument, '_id' | 'metadata'>>>();
        const fields = docs.flatMap((doc) => {
          const secret = clientSecretOf(doc.metadata);
          return secret === null ? [] : [{ owner: doc._id, value: secret }];
        });
        return { fields, next: docs.length < limit ? null : docs.at(-1)!._id };
      }
      const path = ACCOUNT_PATHS[kind];
      const docs = await this.accounts
        .find({ ...afterOwner, [path]: { $type: 'string' } }, { [path]: 1 })
        .sort({ _id: 1 })
        .limit(limit)
        .lean<AccountDocument[]>();
      const fields = docs.map((doc) => ({
        owner: doc._id,
        value: kind === 'account.name' ? doc.name! : doc.mfa!.totpSecret,
      }));
      return { fields, next: docs.length < limit ? null : docs.at(-1)!._id };
    });
  }

  replace(kind: ProtectedFieldKind, owner: string, expected: string, next: string): Promise<boolean> {
    return mongoCall(async () => {
      if (kind === 'client.secret') return this.replaceClientSecret(owner, expected, next);
      const path = ACCOUNT_PATHS[kind];
      const result = await this.accounts.updateOne(
        { _id: lookupKey(owner), [path]: lookupKey(expected) },
        { $set: { [path]: next } },
      );
      return result.modifiedCount === 1;
    });
  }

  /** Compare-and-set on the whole metadata string: it is swapped only if nobody changed the client since the read. */
  private async replaceClientSecret(owner: string, expected: string, next: string): Promise<boolean> {
    const doc = await this.clients.findOne({ _id: lookupKey(owner) }, { metadata: 1 }).lean<ClientDocument>();
    if (!doc || clientSecretOf(doc.metadata) !== expected) return false;
    const metadata = { ...(JSON.parse(doc.metadata) as Record<string, unknown>), client_secret: next };
    const result = await this.clients.updateOne(
      { _id: lookupKey(owner), metadata: doc.metadata },
      { $set: { metadata: JSON.stringify(metadata) } },
    );
    return result.modifiedCount === 1;
  }
}

function clientSecretOf(metadata: string): string | null {
  const secret = (JSON.parse(metadata) as Record<string, unknown>).client_secret;
  return typeof secret === 'string' ? secret : null;
}
