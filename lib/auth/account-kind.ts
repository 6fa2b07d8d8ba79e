// Import sources: lib/imports creates one pseudo-account per imported file (import@<file>) to
// own the labels that file carried. They are not people: no password, no role to choose, no
// sign-in, and an admin cannot create an account under that prefix.
export const IMPORT_SOURCE_PREFIX = 'import@';

export function isImportSource(email: string): boolean {
  return email.toLowerCase().startsWith(IMPORT_SOURCE_PREFIX);
}
