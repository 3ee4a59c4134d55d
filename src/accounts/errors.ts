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
