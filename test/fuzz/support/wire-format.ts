import fc from 'fast-check';
import { BROKEN_ESCAPES, hostileJsonText, hostileKey, hostileString } from './hostile-values.js';

/**
 * Hostile values put on the wire: query strings, bodies of every content type, headers and cookies. Strings here
 * are "wire strings": one char per byte, as raw-http.ts writes them.
 */

/** UTF-8 bytes of a string as a wire string (raw non-ASCII bytes on the request line or in a header). */
export function utf8Wire(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * One name=value pair, encoded properly (the value arrives intact), raw (only what would end the request line is
 * escaped, so control characters and raw UTF-8 reach the HTTP parser) or with a broken escape (valid HTTP, invalid
 * percent-encoding). `raw: false` keeps to pairs that are valid HTTP.
 */
function pair(names: readonly string[], known: readonly string[], raw = true): fc.Arbitrary<string> {
  const encoded = fc
    .tuple(hostileKey(names), hostileString(known))
    .map(([key, value]) => `${encodeURIComponent(key.replace(/[\uD800-\uDFFF]/g, '?'))}=${encodeURIComponent(value.replace(/[\uD800-\uDFFF]/g, '?'))}`);
  const unescaped = fc.tuple(hostileKey(names), hostileString(known)).map(([key, value]) => `${rawEscape(key)}=${rawEscape(value)}`);
  const broken = fc.tuple(hostileKey(names), fc.constantFrom(...BROKEN_ESCAPES)).map(([key, escape]) => `${encodeURIComponent(key.replace(/[\uD800-\uDFFF]/g, '?'))}=${escape}`);
  return fc.oneof(
    { weight: 4, arbitrary: encoded },
    { weight: 1, arbitrary: broken },
    ...(raw ? [{ weight: 2, arbitrary: unescaped }] : []),
  );
}

/** Escapes only space, CR, LF, '#' and '&' so the pair stays one pair on one request line; the rest goes raw. */
function rawEscape(text: string): string {
  return utf8Wire(text).replace(/[ \r\n#&]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function queryString(names: readonly string[], known: readonly string[] = [], options: { raw?: boolean } = {}): fc.Arbitrary<string> {
  return fc.array(pair(names, known, options.raw ?? true), { maxLength: 6 }).map((pairs) => (pairs.length ? `?${pairs.join('&')}` : ''));
}

export interface WireBody {
  contentType: string | null;
  body: Buffer;
}

const FORM_TYPES = ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8', 'application/x-www-form-urlencoded; charset=latin1'];
const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'application/jwt'];
const ODD_TYPES = ['text/plain', 'multipart/form-data; boundary=x', 'multipart/form-data', 'application/xml', '*/*', ';;', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded; charset=nope'];

/** A request body: a form, JSON (valid or not), raw bytes (invalid UTF-8), under a right, wrong or absent type. */
export function wireBody(names: readonly string[], known: readonly string[] = []): fc.Arbitrary<WireBody> {
  const formText = fc.array(pair(names, known), { maxLength: 8 }).map((pairs) => pairs.join('&'));
  const jsonText = hostileJsonText(names, known);
  const typed = (types: string[], text: fc.Arbitrary<string>) =>
    fc.record({ contentType: fc.constantFrom(...types), body: text.map((value) => Buffer.from(value, 'utf8')) });
  const bytes = fc.uint8Array({ maxLength: 200 }).map((array) => Buffer.from(array));
  return fc.oneof(
    { weight: 4, arbitrary: typed(FORM_TYPES, formText) },
    { weight: 3, arbitrary: typed(JSON_TYPES, jsonText) },
    { weight: 1, arbitrary: fc.record({ contentType: fc.constantFrom(...FORM_TYPES, ...JSON_TYPES, ...ODD_TYPES), body: bytes }) },
    { weight: 1, arbitrary: fc.record({ contentType: fc.constantFrom(...ODD_TYPES, null), body: formText.map((text) => Buffer.from(text)) }) },
    { weight: 1, arbitrary: fc.constant({ contentType: null, body: Buffer.alloc(0) }) },
  );
}

/** Header names the server or a library reads; the framing headers are left to raw-http.ts. */
const HEADER_NAMES = [
  'accept',
  'accept-language',
  'origin',
  'referer',
  'user-agent',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-request-id',
  'if-none-match',
  'if-modified-since',
  'range',
  'dpop',
  'sec-fetch-site',
  'sec-fetch-mode',
  'forwarded',
  'x-http-method-override',
];

const HEADER_VALUES = ['\r\nX-Injected: 1', 'a\rb', 'a\nb', '\u0000', ' ', 'x'.repeat(9_000), 'x'.repeat(70_000), 'bytes=0-1,0-1', '*', 'https', 'evil.example'];

/** A header value as sent: printable, raw UTF-8, or with control characters the parser must refuse. */
export function headerValue(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileString(known).map(utf8Wire) },
    { weight: 1, arbitrary: fc.constantFrom(...HEADER_VALUES) },
  );
}

/** Authorization headers: well-formed schemes with hostile content, and broken ones. */
export function authorizationHeader(credentials: ReadonlyArray<readonly [string, string]>, tokens: readonly string[] = []): fc.Arbitrary<string> {
  const basicOf = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`, 'utf8').toString('base64')}`;
  const realBasic = credentials.length
    ? [fc.constantFrom(...credentials).map(([id, secret]) => basicOf(encodeURIComponent(id), encodeURIComponent(secret)))]
    : [];
  const hostileBasic = fc.tuple(hostileString(), hostileString()).map(([id, secret]) => basicOf(id, secret));
  const brokenBasic = fc.constantFrom('Basic', 'Basic ', 'Basic ====', 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`, `Basic ${Buffer.from('%zz:%E0%A4%A').toString('base64')}`, `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0xc3]).toString('base64')}`);
  const bearer = fc.oneof(hostileString(), ...(tokens.length ? [fc.constantFrom(...tokens)] : [])).map((token) => `Bearer ${utf8Wire(token)}`);
  const odd = fc.constantFrom('Bearer', 'Bearer  x', 'DPoP x', 'Negotiate x', 'x'.repeat(9000), 'basic Og==', 'Bearer a=b=');
  return fc.oneof(...realBasic, hostileBasic, brokenBasic, bearer, odd);
}

/** Cookie headers: the server's own cookie names with hostile values, and malformed cookie syntax. */
export function cookieHeader(names: readonly string[], known: readonly string[] = []): fc.Arbitrary<string> {
  const named = fc
    .array(fc.tuple(fc.constantFrom(...names, ...names.map((name) => `${name}.sig`), '__proto__', 'constructor'), hostileString(known)), {
      minLength: 1,
      maxLength: 4,
    })
    .map((cookies) => cookies.map(([name, value]) => `${name}=${utf8Wire(value).replace(/[;\r\n]/g, '')}`).join('; '));
  const malformed = fc.constantFrom('=', ';;;', '=;=;', 'a', 'a=b=c', `a=${'%'.repeat(50)}`, 'a="unterminated', 'a=%E0%A4%A', `${'c=1; '.repeat(2000)}`);
  return fc.oneof({ weight: 3, arbitrary: named }, { weight: 1, arbitrary: malformed });
}

/** Any set of extra headers, some read by the server, some not. */
export function extraHeaders(known: readonly string[] = []): fc.Arbitrary<Array<[string, string]>> {
  return fc.array(fc.tuple(fc.constantFrom(...HEADER_NAMES), headerValue(known)), { maxLength: 4 });
}
