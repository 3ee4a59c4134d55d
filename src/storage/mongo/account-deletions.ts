import mongoose, { type Connection, type Model } from 'mongoose';
import type { AccountDeletionRecord, AccountDeletionRepository } from '../ports.js';
import { mongoCall } from './errors.js';
import { lookupKey } from './lookup-key.js';

export interface AccountDeletionDocument {
  _id: string;
  requestedAt: Date;
  purgeAfter: Date;
  purgedAt: Date | null;
  claimedUntil: Date | null;
}

const schema = new mongoose.Schema<AccountDeletionDocument>(
  {
    _id: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    purgeAfter: { type: Date, required: true },
    purgedAt: { type: Date, default: null },
    claimedUntil: { type: Date, default: null },
  },
  { strict: 'throw', strictQuery: 'throw', versionKey: false, id: false },
);
schema.index({ purgedAt: 1, purgeAfter: 1 });

/** Compiled on the stores' connection before its indexes are synchronised. */
export function defineAccountDeletionModel(connection: Connection): Model<AccountDeletionDocument> {
  return connection.model<AccountDeletionDocument>('AccountDeletion', schema, 'account_deletions');
}

/** The account deletion schedule in MongoDB; each claim is one atomic findOneAndUpdate. */
export class MongoAccountDeletionRepository implements AccountDeletionRepository {
  constructor(private readonly deletions: Model<AccountDeletionDocument>) {}

  schedule(deletion: AccountDeletionRecord): Promise<AccountDeletionRecord> {
    return mongoCall(async () => {
      const stored = await this.deletions
        .findOneAndUpdate(
          { _id: lookupKey(deletion.accountId) },
          {
            $setOnInsert: {
              requestedAt: deletion.requestedAt,
              purgeAfter: deletion.purgeAfter,
              purgedAt: null,
              claimedUntil: null,
            },
          },
          { upsert: true, new: true },
        )
        .lean<AccountDeletionDocument>();
      return toDeletion(stored!);
    });
  }

  find(accountId: string): Promise<AccountDeletionRecord | null> {
    return mongoCall(async () => {
      const found = await this.deletions.findOne({ _id: lookupKey(accountId) }).lean<AccountDeletionDocument>();
      return found ? toDeletion(found) : null;
    });
  }

  claimDue(now: Date, leaseSeconds: number, limit: number): Promise<string[]> {
    return mongoCall(async () => {
      const claimed: string[] = [];
      while (claimed.length < limit) {
        const found = await this.deletions
          .findOneAndUpdate(
            {
              purgedAt: null,
              purgeAfter: { $lte: now },
              $or: [{ claimedUntil: null }, { claimedUntil: { $lte: now } }],
            },
            { $set: { claimedUntil: new Date(now.getTime() + leaseSeconds * 1000) } },
            { sort: { purgeAfter: 1 }, new: true },
          )
          .lean<AccountDeletionDocument>();
        if (!found) break;
        claimed.push(found._id);
      }
      return claimed;
    });
  }

  markPurged(accountId: string, purgedAt: Date): Promise<void> {
    return mongoCall(async () => {
      await this.deletions.updateOne({ _id: lookupKey(accountId) }, { $set: { purgedAt, claimedUntil: null } });
    });
  }
}

function toDeletion(doc: AccountDeletionDocument): AccountDeletionRecord {
  return { accountId: doc._id, requestedAt: doc.requestedAt, purgeAfter: doc.purgeAfter, purgedAt: doc.purgedAt ?? null };
}
