import { ConfigError } from '../config/index.js';
import { RouteRules, RouteRulesError } from './route-rules.js';

/** Reads FORWARD_AUTH_RULES_FILE at start-up; a bad file stops the process with a message naming the setting. */
export function loadRouteRules(file: string | undefined): RouteRules | undefined {
  if (!file) return undefined;
  try {
    return RouteRules.fromFile(file);
  } catch (error) {
    if (error instanceof RouteRulesError) throw new ConfigError('FORWARD_AUTH_RULES_FILE', error.message);
    throw error;
  }
}
