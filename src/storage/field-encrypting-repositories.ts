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

/** The account's name is encrypted; the email stays plain because sign-in looks accounts up by it. */
export class FieldEncryptingAccountRepository implements AccountRepository {
  constructor(
    private readonly inner: AccountRepository,
    private readonly encryption: FieldEncryption,
  ) {}

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
    const name = this.encryption.decryptOrLegacy(account.name, fieldContext('account.name', account.id));
    return { ...account, name };
  }
}

/** How many decrypted client secrets are remembered; more clients than this only costs a decryption per read. */
const OPENED_SECRETS_CAPACITY = 1_000;

/**
 * The client_secret inside the metadata is encrypted. oidc-provider compares it in plaintext (client_secret_basic
 * and _post) and derives HS* keys from it, so it cannot be hashed, only encrypted and decrypted on each read.
 *
 * Every token request reads its client, so the plaintext of each stored ciphertext is remembered (≈15 µs of AES-GCM
 * per request in the benchmark's profile). The record itself is still read from the store every time: a rotated
 * secret is a new ciphertext and a deleted client is not found, so nothing here can be stale. The memo is keyed by
 * client id and ciphertext together, as the decryption is bound to both; it holds what oidc-provider's own client
 * cache holds anyway (the plaintext secret of every client it has seen).
 */
export class FieldEncryptingClientRepository implements ClientRepository {
  private readonly openedSecrets = new BoundedMap<string, string>(OPENED_SECRETS_CAPACITY);

  constructor(
    private readonly inner: ClientRepository,
    private readonly encryption: FieldEncryption,
  ) {}

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
    const memoKey = `${client.clientId}\n${secret}`;
    let plaintext = this.openedSecrets.get(memoKey);
    if (plaintext === undefined) {
      plaintext = this.encryption.decryptOrLegacy(secret, fieldContext('client.secret', client.clientId));
      this.openedSecrets.set(memoKey, plaintext);
    }
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
