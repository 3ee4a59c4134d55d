import fc from 'fast-check';
import { fillPath, methodFor, pathSegment, type Endpoint } from './endpoints.js';
import type { RawRequest } from './raw-http.js';
import { authorizationHeader, cookieHeader, extraHeaders, queryString, wireBody, type WireBody } from './wire-format.js';

/** What the fuzzer may know about the server: real ids, credentials and tokens to mix into its input. */
export interface Knowledge {
  /** Real values (client ids, emails, redirect URIs) that lead input past the first lookup. */
  values: string[];
  /** [client_id, client_secret] pairs that authenticate. */
  credentials: Array<readonly [string, string]>;
  /** Bearer tokens that are valid. */
  tokens: string[];
}

export const NOTHING_KNOWN: Knowledge = { values: [], credentials: [['nobody', 'nothing']], tokens: [] };

const COOKIE_NAMES = ['tessera.session', 'tessera.interaction', 'tessera.resume', '_session'];

/**
 * A request on the wire. The headers that carry the session and the body's type go first: a fuzzed header with
 * CRLF in it ends the header block early, and what follows it would silently be lost.
 */
export function assemble(method: string, target: string, fixed: Array<[string, string] | null>, fuzzed: Array<[string, string]>, body: WireBody): RawRequest {
  const withBody = method !== 'GET' && method !== 'HEAD';
  const contentType: [string, string] | null = withBody && body.contentType !== null ? ['content-type', body.contentType] : null;
  return {
    method,
    target,
    headers: [...[...fixed, contentType].filter((header): header is [string, string] => header !== null), ...fuzzed],
    ...(withBody ? { body: body.body } : {}),
  };
}

/** One request to one of the endpoints: any method, query, headers, cookies, credentials and body. */
export function requestTo(endpoints: fc.Arbitrary<Endpoint>, knowledge: Knowledge): fc.Arbitrary<RawRequest> {
  return endpoints.chain((endpoint) =>
    fc
      .record({
        method: methodFor(endpoint),
        segment: pathSegment(knowledge.values),
        query: queryString(endpoint.params, knowledge.values),
        headers: extraHeaders(knowledge.values),
        authorization: fc.option(authorizationHeader(knowledge.credentials, knowledge.tokens), { freq: 2 }),
        cookie: fc.option(cookieHeader(COOKIE_NAMES, knowledge.values), { freq: 2 }),
        body: wireBody(endpoint.params, knowledge.values),
      })
      .map(({ method, segment, query, headers, authorization, cookie, body }) =>
        assemble(
          method,
          `${fillPath(endpoint.path, segment)}${query}`,
          [authorization === null ? null : ['authorization', authorization], cookie === null ? null : ['cookie', cookie]],
          headers,
          body,
        ),
      ),
  );
}

/** Where a session request goes and what makes it the session's: known only once the sign-in has happened. */
export interface LiveSession {
  path: string;
  /** The browser's Cookie header. */
  cookie: string;
  /** The CSRF token its forms carry. */
  csrf: string;
}

/**
 * A browser's request from inside a session, as parts generated before the session exists (so fast-check can
 * shrink them): mostly its real cookies and CSRF token, hostile everything else.
 */
export function sessionRequestParts(fieldNames: readonly string[], known: readonly string[]) {
  return fc.record({
    method: fc.oneof({ weight: 8, arbitrary: fc.constant('POST') }, { weight: 2, arbitrary: fc.constantFrom('GET', 'HEAD', 'PUT', 'DELETE') }),
    query: fc.option(queryString(fieldNames, known), { freq: 4 }),
    headers: extraHeaders(known),
    hostileCookie: fc.option(cookieHeader(COOKIE_NAMES, known), { freq: 6 }),
    keepCsrf: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    body: wireBody(fieldNames, known),
  });
}

export type SessionRequestParts = ReturnType<typeof sessionRequestParts> extends fc.Arbitrary<infer T> ? T : never;

export function toSessionRequest(parts: SessionRequestParts, live: LiveSession): RawRequest {
  const { method, query, headers, hostileCookie, keepCsrf, body } = parts;
  const isForm = body.contentType?.startsWith('application/x-www-form-urlencoded') ?? false;
  const payload = keepCsrf && isForm ? Buffer.concat([Buffer.from(`csrf=${encodeURIComponent(live.csrf)}&`), body.body]) : body.body;
  return assemble(method, `${live.path}${query ?? ''}`, [['cookie', hostileCookie ?? live.cookie]], headers, { ...body, body: payload });
}
