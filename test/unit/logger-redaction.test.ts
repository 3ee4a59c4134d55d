import { describe, expect, it } from '@jest/globals';
import { capturedLogger } from './support/captured-logger.js';

/** The redaction list as configured: the shapes Tessera logs lose their secrets, diagnostics stay. */
describe('logger redaction', () => {
  const logged = (object: Record<string, unknown>) => {
    const { logger, lines } = capturedLogger('trace');
    logger.debug(object, 'x');
    return lines()[0]!;
  };

  it('blanks secret fields at the top level and in request parts, errors and configuration', () => {
    const error = Object.assign(new Error('refused'), { code: 'ECONNREFUSED', access_token: 'at', cause: { password: 'pw' } });
    const entry = logged({
      password: 'pw',
      body: { client_secret: 'cs', code: 'c', code_verifier: 'v', refresh_token: 'rt', new_password: 'np', grant_type: 'refresh_token' },
      req: { headers: { cookie: 'k', authorization: 'Basic x', 'user-agent': 'UA' } },
      res: { headers: { 'set-cookie': ['s=1'] } },
      err: error,
      config: { keys: { jwks: { keys: [] }, cookieKeys: ['k'] }, metrics: { token: 't' } },
    });
    const text = JSON.stringify(entry);
    for (const secret of ['"pw"', '"cs"', '"c"', '"v"', '"rt"', '"np"', '"k"', 'Basic x', 's=1', '"at"', '"t"']) {
      expect(text).not.toContain(secret);
    }
    expect(entry).toMatchObject({
      body: { grant_type: 'refresh_token' },
      req: { headers: { 'user-agent': 'UA' } },
      err: { message: 'refused', code: 'ECONNREFUSED' },
    });
  });
});
