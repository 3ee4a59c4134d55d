/** oidc-provider ships no types for its internal helpers; keystore-swap.ts uses this one (see there). */
declare module 'oidc-provider/lib/helpers/weak_cache.js' {
  export default function instance(provider: object): unknown;
}
