import { fieldContext } from '../crypto/field-contexts.js';
import type { FieldEncryption } from '../crypto/field-encryption.js';
import { BoundedMap } from '../shared/bounded-map.js';
import type { AccountRecord, AccountRepository, ClientRecord, ClientRepository, Stores } from './ports.js';

/*
 * Decorators that encrypt the protected fields on their way into any adapter and decrypt them on the way out, so
 * SQLite and MongoDB store the same ciphertext and no service handles it. Writes always encrypt under the current
 * key; reads accept every configured key and, for rows written before encryption existed, the plaintext.
 * The TOTP secret is not handled here: MfaService encrypts it itself and keeps it encrypted in the record.
 */

/**
 * Decryption with the plaintext of each (context, stored value) pair remembered, for fields read on every token
 * request (≈15 µs of AES-GCM each in the benchmark's profile). The record itself is still read from the store every
 * time, so nothing can be stale: a changed field is a new ciphertext, a deleted record is not found. The memo is
 * keyed by context and ciphertext together, as the decryption is bound to both: a value copied onto another record
 * is decrypted (and refused) there. It holds what the process holds anyway while it serves those records.
 */
class RememberedDecryptions {
  private readonly plaintexts = new BoundedMap<string, string>(REMEMBERED_DECRYPTIONS);

  constructor(private readonly encryption: FieldEncryption) {}

  open(value: string, context: string): string {
    const memoKey = `${context}\n${value}`;
    let plaintext = this.plaintexts.get(memoKey);
    if (plaintext === undefined) {
      plaintext = this.encryption.decryptOrLegacy(value, context);
      this.plaintexts.set(memoKey, plaintext);
    }
    return plaintext;
  }
}

/** How many decrypted values each repository remembers; more records than this only cost a decryption per read. */
const REMEMBERED_DECRYPTIONS = 1_000;

/** The account's name is encrypted; the email stays plain because sign-in looks accounts up by it. */
export class FieldEncryptingAccountRepository implements AccountRepository {
  private readonly decryptions: RememberedDecryptions;

  constructor(
    private readonly inner: AccountRepository,
    private readonly encryption: FieldEncryption,
  ) {
    this.decryptions = new RememberedDecryptions(encryption);
  }

  create(account: AccountRecord): Promise<void> {
    return this.inner.create(this.seal(account));
  }

  update(account: AccountRecord): Promise<void> {
    return this.inner.update(this.seal(account));
  }

  async findById(id: string): Promise<AccountRecord | null> {
    return this.open(await this.inner.findById(id));
  }

  async findByEmail(email: string): Promise<AccountRecord | null> {
    return this.open(await this.inner.findByEmail(email));
  }

  private seal(account: AccountRecord): AccountRecord {
    if (account.name === null) return account;
    return { ...account, name: this.encryption.encrypt(account.name, fieldContext('account.name', account.id)) };
  }

  private open(account: AccountRecord | null): AccountRecord | null {
    if (account?.name == null) return account;
    const name = this.decryptions.open(account.name, fieldContext('account.name', account.id));
    return { ...account, name };
  }
}

/**
 * The client_secret inside the metadata is encrypted. oidc-provider compares it in plaintext (client_secret_basic
 * and _post) and derives HS* keys from it, so it cannot be hashed, only encrypted and decrypted on each read.
 */
export class FieldEncryptingClientRepository implements ClientRepository {
  private readonly decryptions: RememberedDecryptions;

  constructor(
    private readonly inner: ClientRepository,
    private readonly encryption: FieldEncryption,
  ) {
    this.decryptions = new RememberedDecryptions(encryption);
  }

  create(client: ClientRecord): Promise<void> {
    return this.inner.create({ ...client, metadata: this.seal(client.clientId, client.metadata) });
  }

  async find(clientId: string): Promise<ClientRecord | null> {
    const client = await this.inner.find(clientId);
    return client ? this.open(client) : null;
  }

  async listForTenant(tenantId: string, page: { afterClientId?: string; limit: number }): Promise<ClientRecord[]> {
    return (await this.inner.listForTenant(tenantId, page)).map((client) => this.open(client));
  }

  updateMetadata(clientId: string, metadata: Record<string, unknown>): Promise<boolean> {
    return this.inner.updateMetadata(clientId, this.seal(clientId, metadata));
  }

  delete(clientId: string): Promise<void> {
    return this.inner.delete(clientId);
  }

  hasRedirectUriOrigin(origin: string): Promise<boolean> {
    return this.inner.hasRedirectUriOrigin(origin);
  }

  private open(client: ClientRecord): ClientRecord {
    const secret = client.metadata.client_secret;
    if (typeof secret !== 'string') return client;
    const plaintext = this.decryptions.open(secret, fieldContext('client.secret', client.clientId));
    return { ...client, metadata: { ...client.metadata, client_secret: plaintext } };
  }

  private seal(clientId: string, metadata: Record<string, unknown>): Record<string, unknown> {
    const secret = metadata.client_secret;
    if (typeof secret !== 'string') return metadata;
    return { ...metadata, client_secret: this.encryption.encrypt(secret, fieldContext('client.secret', clientId)) };
  }
}

/** The same stores with accounts and clients behind field encryption; every other port is untouched. */
export function withFieldEncryption(stores: Stores, encryption: FieldEncryption): Stores {
  return {
    ...stores,
    accounts: new FieldEncryptingAccountRepository(stores.accounts, encryption),
    clients: new FieldEncryptingClientRepository(stores.clients, encryption),
  };
}
