import { DomainError } from '../shared/errors.js';

/** Wrong email, wrong password or unknown account: deliberately indistinguishable. */
export class InvalidCredentialsError extends DomainError {
  readonly code = 'invalid_credentials';

  constructor() {
    super('The email or password is incorrect.');
  }
}

export class WeakPasswordError extends DomainError {
  readonly code = 'weak_password';

  constructor(
    message: string,
    readonly feedback: string[] = [],
  ) {
    super(message);
  }
}

/** Too many failures for this account, from this address or from this address overall; retry later. */
export class AccountLockedError extends DomainError {
  readonly code = 'temporarily_locked';

  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-in attempts. Try again in ${describeWait(retryAfterSeconds)}.`);
  }
}

export class InvalidSecondFactorError extends DomainError {
  readonly code = 'invalid_second_factor';

  constructor() {
    super('That code is not valid. Check your authenticator app and try again.');
  }
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
