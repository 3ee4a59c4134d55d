import { describe, expect, it } from '@jest/globals';
import { StrengthPasswordPolicy, WeakPasswordError } from '../../src/accounts/index.js';

const policy = new StrengthPasswordPolicy();

function refusal(password: string, context = {}): WeakPasswordError | undefined {
  try {
    policy.check(password, context);
    return undefined;
  } catch (error) {
    if (error instanceof WeakPasswordError) return error;
    throw error;
  }
}

describe('password policy', () => {
  it('accepts long unguessable passphrases without composition rules', () => {
    expect(refusal('violet tractor harbor 1957')).toBeUndefined();
    expect(refusal('correct horse battery staple')).toBeUndefined();
    expect(refusal('zqmvprtklwxn')).toBeUndefined();
  });

  it('refuses the most common passwords by name, whatever their case', () => {
    expect(refusal('password')?.message).toMatch(/most common/);
    expect(refusal('Password')?.message).toMatch(/most common/);
    expect(refusal('iloveyou')?.message).toMatch(/most common/);
  });

  it('refuses guessable passwords (at most 10^8 guesses) with the estimator feedback', () => {
    const error = refusal('summer2023!');
    expect(error?.message).toMatch(/too easy to guess/);
    expect(error?.feedback.length).toBeGreaterThan(0);
  });

  it("counts the user's own email, name and company as dictionary words", () => {
    const context = { email: 'margarethe.vestager@example.com', name: 'Margarethe Vestager', tenantName: 'Bluewhale' };
    expect(refusal('vestagermargarethe', context)).toBeInstanceOf(WeakPasswordError);
    expect(refusal('bluewhale2024!', context)).toBeInstanceOf(WeakPasswordError);
    expect(refusal('vestagermargarethe')).toBeUndefined();
  });

  it('bounds the length: at least 8 characters, at most 1024 bytes', () => {
    expect(refusal('x9$Kq!z')?.message).toMatch(/at least 8/);
    expect(refusal('ä'.repeat(513))?.message).toMatch(/at most 1024 bytes/);
    expect(refusal(`${'violet tractor harbor '.repeat(46)}`.slice(0, 1000))).toBeUndefined();
  });
});
