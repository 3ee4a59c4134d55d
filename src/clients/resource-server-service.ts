import { SIGNING_ALGORITHMS } from '../crypto/index.js';
import { ValidationError } from '../shared/errors.js';
import type { JwtSigningAlgorithm, ResourceServerRecord, ResourceServerRepository } from '../storage/ports.js';

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/; // RFC 6749 §3.3 scope-token

export interface NewResourceServer {
  identifier: unknown;
  scopes: unknown;
  jwtAccessTokens?: boolean;
  accessTokenTtl?: number | null;
  /** How its JWT access tokens are signed: ES256 unless the API needs RS256 or EdDSA. */
  signingAlg?: unknown;
}

/** The APIs (RFC 8707 resources) tokens can be issued for, and the scopes each understands. */
export class ResourceServerService {
  constructor(
    private readonly resourceServers: ResourceServerRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async register(input: NewResourceServer, tenantId: string | null = null): Promise<ResourceServerRecord> {
    const identifier = parseIdentifier(input.identifier);
    const scopes = parseScopes(input.scopes);
    const ttl = input.accessTokenTtl ?? null;
    if (ttl !== null && (!Number.isSafeInteger(ttl) || ttl <= 0)) {
      throw new ValidationError('access token lifetime must be a positive number of seconds', 'accessTokenTtl');
    }
    const signingAlg = input.signingAlg ?? 'ES256';
    if (!SIGNING_ALGORITHMS.includes(signingAlg as JwtSigningAlgorithm)) {
      throw new ValidationError(`the signing algorithm must be one of ${SIGNING_ALGORITHMS.join(', ')}`, 'signingAlg');
    }
    const record: ResourceServerRecord = {
      identifier,
      tenantId,
      scopes,
      jwtAccessTokens: input.jwtAccessTokens ?? false,
      accessTokenTtl: ttl,
      signingAlg: signingAlg as JwtSigningAlgorithm,
      createdAt: this.now(),
    };
    await this.resourceServers.create(record);
    return record;
  }
}

/** RFC 8707 §2: an absolute URI without a fragment. */
function parseIdentifier(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.hash || typeof value !== 'string' || value.includes('#')) {
    throw new ValidationError('the resource identifier must be an absolute URI without a fragment', 'identifier');
  }
  return value;
}

function parseScopes(value: unknown): string[] {
  const scopes = typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value;
  if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((scope) => SCOPE_TOKEN.test(String(scope)))) {
    throw new ValidationError('scopes must be one or more space-separated scope tokens', 'scopes');
  }
  return [...new Set(scopes.map(String))];
}
