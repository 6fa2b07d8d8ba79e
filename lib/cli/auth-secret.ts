// CLIs and `npm start` make sure the installation's secret exists before anything uses it;
// the logic lives with the rest of sign-in in lib/auth/secret.ts.
export { ensureAuthSecret } from '../auth/secret';
