/** Thrown by lib/ when the caller is not signed in or lacks the role; mapped to 401/403. */
export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}
