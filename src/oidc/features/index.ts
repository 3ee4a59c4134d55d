import type Provider from 'oidc-provider';
import type { Configuration } from 'oidc-provider';
import type { DynamicRegistrationSettings } from '../../config/index.js';
import { backchannelLogout } from './backchannel-logout.js';
import { corsConfiguration, corsPreflight } from './cors.js';
import { DEVICE_CODE_TTL_SECONDS, deviceFlow, deviceVerificationGuard } from './device-flow.js';
import { dPoP } from './dpop.js';
import { pushedAuthorizationRequests } from './pushed-authorization-requests.js';
import { registrationFeatures } from './registration.js';

export { backchannelLogoutNotifier } from './backchannel-logout.js';
export { registerTokenExchange, TOKEN_EXCHANGE_GRANT, withExchangeClaims } from './token-exchange.js';

/** What the app-facing features (issue 6) add to the provider configuration; provider.ts merges it in. */
export interface FeatureConfiguration {
  /** Top-level settings (clientBasedCORS, …). */
  settings: Partial<Configuration>;
  /** Entries of `features`. */
  features: Record<string, unknown>;
  /** Lifetimes of the artifacts these features add. */
  ttl: NonNullable<Configuration['ttl']>;
}

export interface FeatureOptions {
  /** Absent: dynamic client registration is off. */
  dynamicRegistration?: DynamicRegistrationSettings;
}

export function featureConfiguration(options: FeatureOptions = {}): FeatureConfiguration {
  return {
    settings: { ...corsConfiguration },
    features: {
      pushedAuthorizationRequests,
      dPoP,
      deviceFlow,
      backchannelLogout,
      ...registrationFeatures(options.dynamicRegistration),
    },
    ttl: { DeviceCode: DEVICE_CODE_TTL_SECONDS },
  };
}

/**
 * The features' own middleware, run by the provider in front of its routes (oidc-provider's `use`): CORS
 * preflights and the guard of the device flow's user-code page. Call before the provider is mounted.
 */
export function installFeatureMiddleware(provider: Provider, isRegisteredOrigin: (origin: string) => Promise<boolean>): void {
  provider.use(corsPreflight(isRegisteredOrigin));
  provider.use(deviceVerificationGuard(provider));
}
