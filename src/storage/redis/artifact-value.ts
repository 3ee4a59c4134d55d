import type { OidcArtifact } from '../ports.js';

/**
 * How an artifact is kept in its Redis key: one string, the payload's JSON. Once consumed, the string is prefixed
 * with the consumption time in epoch ms and a colon (`1764770000000:{…}`): a payload is always a JSON object, so an
 * unconsumed value starts with `{` and a consumed one with a digit. The consume and write scripts in
 * artifact-store.ts add and keep that prefix on the Redis side.
 *
 * A string rather than a hash { payload, consumed }: a hash with a value longer than 64 bytes leaves Redis's compact
 * encoding, and its write (a Lua script for the TTL) cost Redis ≈ 14 µs per token against ≈ 2.4 µs for one
 * `SET … PX` (bench/ROUNDS.md). Keys written as hashes before the change are still read (`fromLegacyHash`).
 */
const OPENING_BRACE = 0x7b;

export function encodeArtifact(payload: OidcArtifact): string {
  return JSON.stringify(payload);
}

/** The artifact in a GET reply; undefined when the key does not exist. */
export function decodeArtifact(value: string | null): OidcArtifact | undefined {
  if (value === null) return undefined;
  if (value.charCodeAt(0) === OPENING_BRACE) return JSON.parse(value) as OidcArtifact;
  const colon = value.indexOf(':');
  return withConsumedMark(JSON.parse(value.slice(colon + 1)) as OidcArtifact, value.slice(0, colon));
}

/** An artifact written as a hash { payload, consumed? } (before artifacts were strings), from its HMGET reply. */
export function fromLegacyHash([payload, consumed]: Array<string | null>): OidcArtifact | undefined {
  if (payload === null || payload === undefined) return undefined;
  const artifact = JSON.parse(payload) as OidcArtifact;
  return consumed ? withConsumedMark(artifact, consumed) : artifact;
}

/** oidc-provider reads `consumed` as a truthy epoch in seconds; Redis keeps milliseconds. */
function withConsumedMark(artifact: OidcArtifact, consumedAtMs: string): OidcArtifact {
  return { ...artifact, consumed: Math.floor(Number(consumedAtMs) / 1000) };
}
