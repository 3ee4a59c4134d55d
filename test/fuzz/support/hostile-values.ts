import fc from 'fast-check';

/**
 * The strings and keys an attacker types: everything here is a value of a field, a parameter or a header, before
 * it is encoded for the wire (see wire-format.ts).
 */

/** Keys that pollute prototypes or smuggle structure through qs-style and JSON parsers. */
export const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'constructor.prototype',
  '__proto__[admin]',
  'constructor[prototype][admin]',
  '__proto__.admin',
  'hasOwnProperty',
  'toString',
  'valueOf',
] as const;

/** Values that mean something to some parser, database or shell, or sit on an edge of one. */
const TRICKY_VALUES = [
  '',
  ' ',
  '{"$ne":null}',
  '{"$gt":""}',
  '[$ne]',
  "' OR '1'='1",
  '"; DROP TABLE accounts; --',
  '\r\nSet-Cookie: injected=1',
  '\r\n\r\nHTTP/1.1 200 OK',
  '\n',
  '\u0000',
  '\u2028\u2029',
  '\uFEFF',
  '\uD800',
  '\uDFFF',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../../../etc/passwd',
  '..%2f..%2fetc%2fpasswd',
  'null',
  'undefined',
  'true',
  'NaN',
  '-1',
  '0',
  '1e309',
  '9007199254740993',
  '[]',
  '{}',
  'javascript:alert(1)',
  'https://evil.example/callback',
  'http://127.0.0.1/',
  'a'.repeat(256),
  'openid email profile offline_access account',
  'authorization_code',
  'refresh_token',
  'client_credentials',
  'urn:ietf:params:oauth:grant-type:device_code',
  'S256',
  'plain',
  'code',
  'none',
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
];

/** Broken percent-encoding, overlong and invalid UTF-8, written as it appears on the wire (already encoded). */
export const BROKEN_ESCAPES = ['%', '%%', '%z', '%zz', '%4', '%E0%A4%A', '%C0%AF', '%C0%80', '%ED%A0%80', '%FF%FE', '%F8%88%80%80%80', '%00', '%0d%0a', '+%2B+'] as const;

/** Sizes past every limit we know of: 16 kB forms, 8 kB headers, 100 kB default bodies, 1 MiB. */
const OVERSIZED_LENGTHS = [4_097, 9_000, 17_000, 70_000, 1_100_000];

export function hostileString(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 4, arbitrary: fc.constantFrom(...TRICKY_VALUES) },
    { weight: 1, arbitrary: fc.constantFrom(...POLLUTION_KEYS) },
    { weight: 1, arbitrary: fc.constantFrom(...OVERSIZED_LENGTHS).map((length) => 'x'.repeat(length)) },
    ...(known.length > 0 ? [{ weight: 3, arbitrary: fc.constantFrom(...known) }] : []),
  );
}

/** Parameter and field names: the real ones (so values reach the code behind them) and hostile ones. */
export function hostileKey(realNames: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...realNames) },
    { weight: 2, arbitrary: fc.constantFrom(...POLLUTION_KEYS) },
    { weight: 1, arbitrary: fc.constantFrom(...realNames).map((name) => `${name}[]`) },
    { weight: 1, arbitrary: fc.constantFrom(...realNames).map((name) => `${name}[$ne]`) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  );
}

/** JSON text for bodies: arbitrary JSON, operator objects, polluting keys, deep nesting. */
export function hostileJsonText(realNames: readonly string[], known: readonly string[] = []): fc.Arbitrary<string> {
  const leaf = fc.oneof(hostileString(known), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  const operator = fc.constantFrom({ $ne: null }, { $gt: '' }, { $where: 'sleep(1000)' }, { $regex: '.*' }, { $in: [] });
  const value = fc.oneof(leaf, operator, fc.array(leaf, { maxLength: 3 }));
  const nested = (open: string, inner: string, close: string) =>
    fc.constantFrom(1_000, 10_000).map((depth) => `${open.repeat(depth)}${inner}${close.repeat(depth)}`);
  return fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(hostileKey(realNames), value, { maxKeys: 6 }).map((object) => JSON.stringify(object)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((json) => JSON.stringify(json)) },
    { weight: 1, arbitrary: fc.oneof(nested('[', '', ']'), nested('{"a":', '1', '}')) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,]', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', 'nul', '"\\ud800"', '\uFEFF{}') },
  );
}
