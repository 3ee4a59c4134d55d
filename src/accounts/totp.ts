import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';

/**
 * RFC 6238 as every authenticator app implements it: HMAC-SHA-1, 6 digits, 30-second steps. Passed to otplib
 * explicitly rather than left to its defaults, because the apps' behaviour, not the library's, is the contract.
 */
const TOTP_PARAMETERS = { algorithm: 'sha1', digits: 6, period: 30 } as const;
/** ±1 step (otplib counts tolerance in seconds): phone clocks drift, and people type a code as it rolls over. */
const TOLERANCE_SECONDS = TOTP_PARAMETERS.period;
/** 20 bytes = the HMAC-SHA-1 output size, as RFC 4226 recommends; 32 base32 characters, no padding. */
const SECRET_BYTES = 20;
const SIX_DIGITS = /^[0-9]{6}$/;

/** A new base32 secret of 20 random bytes. */
export function generateTotpSecret(): string {
  return generateSecret({ length: SECRET_BYTES });
}

/**
 * The `otpauth://totp/Issuer:account?secret=…&issuer=…` URI an authenticator app scans. The Key URI format
 * reserves ':' (even as %3A) to separate issuer from account, so a colon inside either — an issuer host with a
 * port, say "localhost:3000" — becomes a space instead of splitting the label in the wrong place.
 */
export function totpUri(options: { secret: string; accountName: string; issuer: string }): string {
  return generateURI({
    ...TOTP_PARAMETERS,
    issuer: withoutColons(options.issuer),
    label: withoutColons(options.accountName),
    secret: options.secret,
  });
}

/** The URI as a PNG `data:` URL, for an `<img>` on the enrolment page (no external QR service sees the secret). */
export function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { type: 'image/png', errorCorrectionLevel: 'M', margin: 1, width: 200 });
}

/**
 * The time step (floor(unix seconds / 30)) the code belongs to when it is valid at `now` ±1 step, else null.
 * Returning the step lets the caller refuse a second use of the same code inside its window.
 *
 * Spaces are ignored ("123 456", as apps display it); anything but exactly six ASCII digits is simply not valid,
 * and so is any secret otplib refuses (not base32, under 16 bytes): this never throws on bad input.
 */
export function verifyTotp(secret: string, code: string, now = Date.now()): number | null {
  if (typeof secret !== 'string' || typeof code !== 'string') return null;
  const token = code.replace(/\s+/g, '');
  if (!SIX_DIGITS.test(token)) return null;
  try {
    const result = verifySync({
      ...TOTP_PARAMETERS,
      strategy: 'totp',
      secret,
      token,
      epoch: Math.floor(now / 1000),
      epochTolerance: TOLERANCE_SECONDS,
    });
    // otplib's result type also covers HOTP; only a TOTP match carries `timeStep`.
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

function withoutColons(text: string): string {
  return text.replace(/:/g, ' ');
}
