// One line of a fine-tuning JSONL file: the cookbook's checks (reference §1.3, ported with the
// same per-message counting) and what the classifier learns from it — the text of the user
// message that precedes the trained assistant message, and that message as the label.
import { approxMessageTokens, MAX_TOKENS_PER_EXAMPLE } from './tokens';

export type CookbookErrorKey =
  | 'data_type'
  | 'missing_messages_list'
  | 'message_missing_key'
  | 'message_unrecognized_key'
  | 'unrecognized_role'
  | 'missing_content'
  | 'example_missing_assistant_message'
  | 'invalid_weight';

export interface Issue {
  key: CookbookErrorKey;
  detail: string;
}

export interface ChatExample {
  /** Content of the user message the label answers (empty when there is none). */
  text: string;
  /** The last assistant message trained on (weight ≠ 0), trimmed; null when every one has weight 0. */
  label: string | null;
  hasSystem: boolean;
  hasUser: boolean;
  tokens: number;
}

const KNOWN_KEYS = new Set(['role', 'content', 'name', 'function_call', 'weight']);
// The notebook's code accepts `function` although its prose names only the first three.
const KNOWN_ROLES = new Set(['system', 'user', 'assistant', 'function']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks one parsed line; returns its issues, and the example when there are none. */
export function checkExample(line: unknown): { issues: Issue[]; example: ChatExample | null } {
  const issues: Issue[] = [];
  if (!isObject(line)) return { issues: [{ key: 'data_type', detail: 'the line is not a JSON object' }], example: null };
  const messages = line.messages;
  // Python's `if not messages` also catches null, [], "" and 0.
  if (!messages || (Array.isArray(messages) && messages.length === 0)) {
    return { issues: [{ key: 'missing_messages_list', detail: 'no "messages" list' }], example: null };
  }
  if (!Array.isArray(messages)) return { issues: [{ key: 'missing_messages_list', detail: '"messages" is not a list' }], example: null };

  messages.forEach((m: unknown, i) => {
    const where = `message ${i + 1}`;
    // The notebook would crash on a non-object message; counting it is the useful version of that.
    if (!isObject(m)) return issues.push({ key: 'data_type', detail: `${where} is not an object` });
    if (!('role' in m) || !('content' in m)) issues.push({ key: 'message_missing_key', detail: `${where} lacks "role" or "content"` });
    const unknown = Object.keys(m).filter((k) => !KNOWN_KEYS.has(k));
    if (unknown.length) issues.push({ key: 'message_unrecognized_key', detail: `${where} has unrecognized key(s) ${unknown.map((k) => `"${k}"`).join(', ')}` });
    if (typeof m.role !== 'string' || !KNOWN_ROLES.has(m.role))
      issues.push({ key: 'unrecognized_role', detail: `${where} has unrecognized role ${JSON.stringify(m.role ?? null)}` });
    if ((!m.content && !m.function_call) || typeof m.content !== 'string') issues.push({ key: 'missing_content', detail: `${where} has no text content` });
    if ('weight' in m && m.weight !== 0 && m.weight !== 1)
      issues.push({ key: 'invalid_weight', detail: `${where} has weight ${JSON.stringify(m.weight)} (must be 0 or 1)` });
  });
  if (!messages.some((m) => isObject(m) && m.role === 'assistant')) {
    issues.push({ key: 'example_missing_assistant_message', detail: 'no assistant message' });
  }
  if (issues.length) return { issues, example: null };
  return { issues, example: toExample(messages as Record<string, unknown>[]) };
}

function toExample(messages: Record<string, unknown>[]): ChatExample {
  let target = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === 'assistant' && messages[i].weight !== 0) {
      target = i;
      break;
    }
  }
  let text = '';
  for (let i = (target === -1 ? messages.length : target) - 1; i >= 0; i--) {
    if (messages[i].role === 'user') {
      text = messages[i].content as string;
      break;
    }
  }
  return {
    text,
    label: target === -1 ? null : (messages[target].content as string).trim(),
    hasSystem: messages.some((m) => m.role === 'system'),
    hasUser: messages.some((m) => m.role === 'user'),
    tokens: Math.min(MAX_TOKENS_PER_EXAMPLE, approxMessageTokens(messages)),
  };
}
