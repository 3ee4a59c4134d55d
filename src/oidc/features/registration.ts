import type { DynamicRegistrationSettings } from '../../config/index.js';
import type { ClientRepository } from '../../storage/ports.js';
import { dynamicClientMetadata } from '../client-metadata.js';

/**
 * RFC 7591 dynamic registration at /reg and RFC 7592 management at /reg/:client_id. Off by default; when on, every
 * registration presents the configured initial access token, and each client gets a registration access token
 * (rotated on every update) to read, update and delete only itself.
 */
export function registrationFeatures(settings: DynamicRegistrationSettings | undefined): Record<string, unknown> {
  if (!settings) return { registration: { enabled: false }, registrationManagement: { enabled: false } };
  return {
    registration: { enabled: true, initialAccessToken: settings.initialAccessToken, issueRegistrationAccessToken: true },
    registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
  };
}

/**
 * Where oidc-provider saves a client it registered or updated (its adapter's Client upsert): into the client
 * registry, like a client created with the CLI, owned by no company.
 */
export async function saveRegisteredClient(clients: ClientRepository, clientId: string, payload: Record<string, unknown>): Promise<void> {
  const metadata = dynamicClientMetadata(payload);
  if (await clients.updateMetadata(clientId, metadata)) return;
  await clients.create({ clientId, tenantId: null, metadata, createdAt: new Date() });
}
