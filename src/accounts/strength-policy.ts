import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { WeakPasswordError } from './errors.js';
import { checkPasswordLength, type PasswordContext, type PasswordPolicy } from './password-policy.js';

/** "Unguessable" in zxcvbn's terms: more than 10^8 guesses (its score 3 starts there). */
export const MIN_GUESSES = 1e8;
/** The head of the common-password list that is refused by name, whatever the estimate says. */
const REFUSED_COMMON_PASSWORDS = 10_000;

/**
 * No composition rules (NIST SP 800-63B §5.1.1.2): length bounds, a ban on the most common passwords, and a
 * guess-count estimate in which the user's own email, name and company count as dictionary words.
 */
export class StrengthPasswordPolicy implements PasswordPolicy {
  private readonly estimator = new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
  private readonly commonPasswords = new Set(
    (common.dictionary['passwords-common'] as string[]).slice(0, REFUSED_COMMON_PASSWORDS),
  );

  check(password: string, context: PasswordContext): void {
    checkPasswordLength(password);
    if (this.commonPasswords.has(password.toLowerCase())) {
      throw new WeakPasswordError('This is one of the most common passwords.', ['Choose a password nobody else uses.']);
    }
    const result = this.estimator.check(password, personalWords(context));
    if (!(result.guesses > MIN_GUESSES)) {
      const feedback = [result.feedback.warning, ...result.feedback.suggestions].filter(
        (line): line is string => !!line,
      );
      throw new WeakPasswordError('This password is too easy to guess.', feedback.length ? feedback : [
        'Add another word or two; uncommon words are better.',
      ]);
    }
  }
}

function personalWords(context: PasswordContext): string[] {
  const words = [context.email, context.name, context.tenantName].filter((word): word is string => !!word);
  // The local part and the name's pieces are what people reuse ("alice.smith2024").
  const pieces = words.flatMap((word) => word.toLowerCase().split(/[\s@._+-]+/)).filter((piece) => piece.length >= 3);
  return [...words, ...pieces];
}
