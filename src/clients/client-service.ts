import { randomBytes, randomUUID } from 'node:crypto';
import { ValidationError } from '../shared/errors.js';
import type { ClientRecord, ClientRepository } from '../storage/ports.js';

/** Validates client metadata the way the provider will read it; throws a message naming the field. */
export type ClientMetadataValidator = (metadata: Record<string, unknown>) => Promise<void>;

const SECRETLESS_AUTH_METHODS = new Set(['none', 'private_key_jwt', 'tls_client_auth', 'self_signed_tls_client_auth']);
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~-]{1,128}$/;

export class ClientService {
  constructor(
    private readonly clients: ClientRepository,
    private readonly validate: ClientMetadataValidator,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Registers a client from RFC 7591 metadata. A client_id and, for clients that authenticate with a secret,
   * a strong client_secret are generated when not given. Returns the stored record, secret included: this is
   * the one time it is shown.
   */
  async register(input: unknown, tenantId: string | null = null): Promise<ClientRecord> {
    if (!input || typeof input !== 'object' || Array.isArray(input)) {
      throw new ValidationError('client metadata must be a JSON object', 'metadata');
    }
    const metadata: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    metadata.client_id ??= randomUUID();
    if (typeof metadata.client_id !== 'string' || !CLIENT_ID_PATTERN.test(metadata.client_id)) {
      throw new ValidationError('client_id must be 1-128 URL-safe characters', 'client_id');
    }
    const authMethod = (metadata.token_endpoint_auth_method as string | undefined) ?? 'client_secret_basic';
    if (!SECRETLESS_AUTH_METHODS.has(authMethod)) metadata.client_secret ??= randomBytes(32).toString('base64url');
    await this.validate(metadata);
    const record: ClientRecord = { clientId: metadata.client_id, tenantId, metadata, createdAt: this.now() };
    await this.clients.create(record);
    return record;
  }
}
