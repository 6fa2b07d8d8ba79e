// One password rule for every way a password is set (CLI, admin page, change-password, first
// admin): long enough to resist guessing, and not one of the obviously guessable choices.
const MIN_LENGTH = 12;
const MAX_LENGTH = 200;

// The handful of passwords every guessing list starts with; length alone already rules out
// most of them, these are the long ones.
const COMMON = new Set([
  'password1234',
  'passwordpassword',
  '123456789012',
  '1234567890123',
  'qwertyuiopas',
  'qwerty123456',
  'iloveyou1234',
  'letmeinletmein',
  'administrator',
  'changemechangeme',
  'welcome12345',
  'password123!',
]);

/** The rule a password breaks, as a sentence for the person choosing it; null when it is acceptable. */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < MIN_LENGTH) return `Password must be at least ${MIN_LENGTH} characters.`;
  if (password.length > MAX_LENGTH) return `Password must be at most ${MAX_LENGTH} characters.`;
  if (password.trim().length === 0) return 'Password cannot be only spaces.';
  if (new Set(password).size <= 2) return 'Password cannot be one or two characters repeated.';
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'Password is on the list of commonly used passwords.';
  if (email) {
    const e = email.toLowerCase();
    const local = e.split('@')[0];
    if (lower === e || lower.includes(e) || (local.length >= 4 && lower.includes(local) && lower.length - local.length < 6)) {
      return 'Password cannot be (or be built from) your email address.';
    }
  }
  if (/^(\d)+$/.test(password) || isSequence(lower)) return 'Password cannot be a simple sequence of characters.';
  return null;
}

export const PASSWORD_RULE = `at least ${MIN_LENGTH} characters, not your email, not one repeated character or a simple sequence`;

// "abcdefghijkl", "123456789012", "987654321098": each character one step from the last.
function isSequence(s: string): boolean {
  let up = true;
  let down = true;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    if (d !== 1 && d !== -9) up = false;
    if (d !== -1 && d !== 9) down = false;
  }
  return up || down;
}
