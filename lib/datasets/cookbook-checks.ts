// A port of the format checks in OpenAI's cookbook notebook Chat_finetuning_data_prep.ipynb
// (reference §1.3), with the same error keys and the same per-message counting, so "passes the
// cookbook checks" means what an ML lead who ran the notebook would expect.
// Choices where the notebook is silent or crashes: a line that is not JSON counts as
// `data_type` (Python would raise), and a message that is not an object counts as
// `message_missing_key` (Python would raise).

export const FORMAT_ERROR_KEYS = [
  'data_type',
  'missing_messages_list',
  'message_missing_key',
  'message_unrecognized_key',
  'unrecognized_role',
  'missing_content',
  'example_missing_assistant_message',
] as const;
export type FormatErrorKey = (typeof FORMAT_ERROR_KEYS)[number];
export type FormatErrors = Record<FormatErrorKey, number>;

const ALLOWED_KEYS = new Set(['role', 'content', 'name', 'function_call', 'weight']);
const ALLOWED_ROLES = new Set(['system', 'user', 'assistant', 'function']);

export function emptyFormatErrors(): FormatErrors {
  return Object.fromEntries(FORMAT_ERROR_KEYS.map((k) => [k, 0])) as FormatErrors;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Adds one example's errors to `errors`; returns how many it found. */
export function checkExampleFormat(example: unknown, errors: FormatErrors): number {
  let found = 0;
  const bump = (k: FormatErrorKey) => {
    errors[k]++;
    found++;
  };
  if (!isObject(example)) {
    bump('data_type');
    return found;
  }
  const messages = example.messages;
  // Python's `not messages`: absent, null, empty list or empty string.
  if (!messages || (Array.isArray(messages) && messages.length === 0)) {
    bump('missing_messages_list');
    return found;
  }
  const list: unknown[] = Array.isArray(messages) ? messages : Array.from(String(messages));
  for (const message of list) {
    if (!isObject(message)) {
      bump('message_missing_key');
      continue;
    }
    if (!('role' in message) || !('content' in message)) bump('message_missing_key');
    if (Object.keys(message).some((k) => !ALLOWED_KEYS.has(k))) bump('message_unrecognized_key');
    if (!ALLOWED_ROLES.has(message.role as string)) bump('unrecognized_role');
    const content = message.content;
    if ((!content && !message.function_call) || typeof content !== 'string') bump('missing_content');
  }
  if (!list.some((m) => isObject(m) && m.role === 'assistant')) bump('example_missing_assistant_message');
  return found;
}

/** The notebook's two warnings, per example. */
export function missingRoleWarnings(example: unknown): { missingSystem: boolean; missingUser: boolean } {
  const messages = isObject(example) && Array.isArray(example.messages) ? example.messages : [];
  const has = (role: string) => messages.some((m) => isObject(m) && m.role === role);
  return { missingSystem: !has('system'), missingUser: !has('user') };
}

/** Checks a JSONL text line: parse + format. */
export function checkJsonlLine(line: string, errors: FormatErrors): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    errors.data_type++;
    return 1;
  }
  return checkExampleFormat(parsed, errors);
}

export function totalFormatErrors(errors: FormatErrors): number {
  return FORMAT_ERROR_KEYS.reduce((n, k) => n + errors[k], 0);
}
