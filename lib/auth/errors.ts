// Who-may-do-what failures live in the one hierarchy (lib/errors); re-exported here where
// auth code has always found them. `instanceof AuthError` catches both.
export { AuthError, ForbiddenError, UnauthenticatedError } from '../errors';
