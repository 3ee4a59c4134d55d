import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { DecryptionError, FieldEncryption, keyIdOf } from '../../src/crypto/index.js';
import {
  FieldEncryptingAccountRepository,
  FieldEncryptingClientRepository,
} from '../../src/storage/field-encrypting-repositories.js';
import type { AccountRecord, AccountRepository, ClientRecord, ClientRepository } from '../../src/storage/ports.js';

const key = (id: string) => ({ id, key: randomBytes(32) });

/** Stores records as given (serialized, as an adapter would), so the test sees exactly what reaches storage. */
class StoredAccounts implements AccountRepository {
  readonly rows = new Map<string, string>();
  async create(account: AccountRecord) {
    this.rows.set(account.id, JSON.stringify(account));
  }
  async update(account: AccountRecord) {
    this.rows.set(account.id, JSON.stringify(account));
  }
  async findById(id: string) {
    const row = this.rows.get(id);
    return row ? revive(row) : null;
  }
  async findByEmail(email: string) {
    const row = [...this.rows.values()].find((stored) => revive(stored).email === email);
    return row ? revive(row) : null;
  }
  stored(id: string): AccountRecord {
    return revive(this.rows.get(id)!);
  }
}

function revive(row: string): AccountRecord {
  const parsed = JSON.parse(row) as AccountRecord;
  return { ...parsed, createdAt: new Date(parsed.createdAt), updatedAt: new Date(parsed.updatedAt) };
}

class StoredClients implements ClientRepository {
  readonly rows = new Map<string, string>();
  async create(client: ClientRecord) {
    this.rows.set(client.clientId, JSON.stringify(client));
  }
  async find(clientId: string) {
    const row = this.rows.get(clientId);
    return row ? ({ ...JSON.parse(row), createdAt: new Date() } as ClientRecord) : null;
  }
  async updateMetadata(clientId: string, metadata: Record<string, unknown>) {
    const row = this.rows.get(clientId);
    if (!row) return false;
    this.rows.set(clientId, JSON.stringify({ ...JSON.parse(row), metadata }));
    return true;
  }
  async delete(clientId: string) {
    this.rows.delete(clientId);
  }
  async hasRedirectUriOrigin() {
    return false;
  }
  async listForTenant(tenantId: string) {
    const clients = await Promise.all([...this.rows.keys()].sort().map((clientId) => this.find(clientId)));
    return clients.filter((client): client is ClientRecord => client?.tenantId === tenantId);
  }
  storedSecret(clientId: string): unknown {
    return (JSON.parse(this.rows.get(clientId)!) as ClientRecord).metadata.client_secret;
  }
}

function account(id: string, name: string | null): AccountRecord {
  const now = new Date();
  const email = `${id}@example.com`;
  return { id, email, name, passwordHash: 'hash', mfa: null, disabled: false, createdAt: now, updatedAt: now };
}

describe('field-encrypting account repository', () => {
  it('stores the name encrypted under the current key and hands it back in clear', async () => {
    const inner = new StoredAccounts();
    const accounts = new FieldEncryptingAccountRepository(inner, new FieldEncryption([key('k1')]));
    await accounts.create(account('a1', 'Ada Lovelace'));

    expect(inner.rows.get('a1')).not.toContain('Lovelace');
    expect(keyIdOf(inner.stored('a1').name!)).toBe('k1');
    expect((await accounts.findById('a1'))?.name).toBe('Ada Lovelace');
    expect((await accounts.findByEmail('a1@example.com'))?.name).toBe('Ada Lovelace');
    // The lookup field stays plain: sign-in finds accounts by it.
    expect(inner.stored('a1').email).toBe('a1@example.com');
  });

  it('reads a name stored in clear before encryption, and encrypts it at the next write', async () => {
    const inner = new StoredAccounts();
    await inner.create(account('a1', 'Grace Hopper'));
    const accounts = new FieldEncryptingAccountRepository(inner, new FieldEncryption([key('k1')]));

    const legacy = await accounts.findById('a1');
    expect(legacy?.name).toBe('Grace Hopper');
    await accounts.update({ ...legacy!, disabled: true });
    expect(keyIdOf(inner.stored('a1').name!)).toBe('k1');
    expect(await accounts.findById('a1')).toMatchObject({ name: 'Grace Hopper', disabled: true });
  });

  it('leaves a missing name alone and refuses a name copied from another account', async () => {
    const inner = new StoredAccounts();
    const accounts = new FieldEncryptingAccountRepository(inner, new FieldEncryption([key('k1')]));
    await accounts.create(account('a1', null));
    await accounts.create(account('a2', 'Ada Lovelace'));
    expect(inner.stored('a1').name).toBeNull();
    expect((await accounts.findById('a1'))?.name).toBeNull();

    // The name is bound to its account: moved onto another record it does not decrypt, it is not taken as plaintext.
    inner.rows.set('a1', JSON.stringify({ ...inner.stored('a1'), name: inner.stored('a2').name }));
    await expect(accounts.findById('a1')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('reads names under an old key after rotation and writes them under the new one', async () => {
    const [oldKey, newKey] = [key('k1'), key('k2')];
    const inner = new StoredAccounts();
    await new FieldEncryptingAccountRepository(inner, new FieldEncryption([oldKey])).create(account('a1', 'Ada'));
    const rotated = new FieldEncryptingAccountRepository(inner, new FieldEncryption([newKey, oldKey]));

    const found = await rotated.findById('a1');
    expect(found?.name).toBe('Ada');
    await rotated.update(found!);
    expect(keyIdOf(inner.stored('a1').name!)).toBe('k2');
  });
});

describe('field-encrypting client repository', () => {
  const metadata = (clientId: string, extra: Record<string, unknown> = {}) => ({
    client_id: clientId,
    redirect_uris: ['https://rp.example/cb'],
    ...extra,
  });
  const client = (clientId: string, extra: Record<string, unknown> = {}): ClientRecord => ({
    clientId,
    tenantId: null,
    metadata: metadata(clientId, extra),
    createdAt: new Date(),
  });

  it('stores client_secret encrypted and returns it in clear for the provider to compare', async () => {
    const inner = new StoredClients();
    const clients = new FieldEncryptingClientRepository(inner, new FieldEncryption([key('k1')]));
    const secret = randomBytes(32).toString('base64url');
    const record = client('web', { client_secret: secret });
    await clients.create(record);

    expect(inner.rows.get('web')).not.toContain(secret);
    expect(keyIdOf(String(inner.storedSecret('web')))).toBe('k1');
    expect((await clients.find('web'))?.metadata.client_secret).toBe(secret);
    // The caller's record is not changed: the CLI prints the secret from it once.
    expect(record.metadata.client_secret).toBe(secret);
  });

  it('passes public clients through, reads a plaintext secret from before, and encrypts metadata updates', async () => {
    const inner = new StoredClients();
    const clients = new FieldEncryptingClientRepository(inner, new FieldEncryption([key('k1')]));
    await clients.create(client('spa'));
    expect(inner.storedSecret('spa')).toBeUndefined();
    expect((await clients.find('spa'))?.metadata).toEqual(metadata('spa'));

    await inner.create(client('old', { client_secret: 'legacy-secret' }));
    expect((await clients.find('old'))?.metadata.client_secret).toBe('legacy-secret');

    const renamed = metadata('old', { client_secret: 'legacy-secret', client_name: 'Old' });
    expect(await clients.updateMetadata('old', renamed)).toBe(true);
    expect(inner.rows.get('old')).not.toContain('legacy-secret');
    expect((await clients.find('old'))?.metadata).toMatchObject({ client_secret: 'legacy-secret', client_name: 'Old' });
  });

  it('refuses a secret copied from another client', async () => {
    const inner = new StoredClients();
    const clients = new FieldEncryptingClientRepository(inner, new FieldEncryption([key('k1')]));
    await clients.create(client('a', { client_secret: 's-a' }));
    await clients.create(client('b', { client_secret: 's-b' }));
    // Read first, so the decrypted secret of 'a' is remembered: the memo must not hand it to 'b'.
    expect((await clients.find('a'))?.metadata.client_secret).toBe('s-a');
    await inner.updateMetadata('b', metadata('b', { client_secret: inner.storedSecret('a') }));
    await expect(clients.find('b')).rejects.toBeInstanceOf(DecryptionError);
  });

  it('sees a rotated secret and a tampered one at once, although decrypted secrets are remembered', async () => {
    const inner = new StoredClients();
    const clients = new FieldEncryptingClientRepository(inner, new FieldEncryption([key('k1')]));
    await clients.create(client('web', { client_secret: 'first' }));
    expect((await clients.find('web'))?.metadata.client_secret).toBe('first');
    expect((await clients.find('web'))?.metadata.client_secret).toBe('first');

    await clients.updateMetadata('web', metadata('web', { client_secret: 'rotated' }));
    expect((await clients.find('web'))?.metadata.client_secret).toBe('rotated');

    const stored = String(inner.storedSecret('web'));
    const tampered = `${stored.slice(0, -2)}${stored.endsWith('AA') ? 'BB' : 'AA'}`;
    await inner.updateMetadata('web', metadata('web', { client_secret: tampered }));
    await expect(clients.find('web')).rejects.toBeInstanceOf(DecryptionError);
    await clients.delete('web');
    expect(await clients.find('web')).toBeNull();
  });
});
