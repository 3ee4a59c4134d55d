import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';

/** RFC 6238 as authenticator apps implement it: HMAC-SHA-1, 6 digits, 30-second steps. */
const PERIOD_SECONDS = 30;
/** ±1 step: codes from the previous or next step still count (clock drift, typing time). */
const TOLERANCE_SECONDS = PERIOD_SECONDS;
const SIX_DIGITS = /^\d{6}$/;

/** A new base32 secret of 20 random bytes (the RFC 4226 recommendation for SHA-1). */
export function generateTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(options: { secret: string; accountName: string; issuer: string }): string {
  return generateURI({ issuer: options.issuer, label: options.accountName, secret: options.secret });
}

export function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 200 });
}

/**
 * The time step the code belongs to when it is valid now (±1 step), else null. Returning the step lets the
 * caller refuse a second use of the same code. Malformed input is simply not valid: never an exception.
 */
export function verifyTotp(secret: string, code: string, now = Date.now()): number | null {
  const token = code.replace(/\s+/g, '');
  if (!SIX_DIGITS.test(token)) return null;
  try {
    const epoch = Math.floor(now / 1000);
    const result = verifySync({ secret, token, epoch, epochTolerance: TOLERANCE_SECONDS });
    // `delta` is the matched step relative to now's step (-1, 0 or +1).
    return result.valid ? Math.floor(epoch / PERIOD_SECONDS) + result.delta : null;
  } catch {
    return null;
  }
}
