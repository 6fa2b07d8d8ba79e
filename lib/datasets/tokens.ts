// Token counts with o200k_base (the gpt-4o / gpt-4.1 family encoding), counted the way the
// OpenAI cookbook does (reference §1.4): 3 per message + the role + the content, +3 per example.
import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';

let encoder: Tiktoken | null = null;

function enc(): Tiktoken {
  encoder ??= new Tiktoken(o200kBase);
  return encoder;
}

export function countTokens(text: string): number {
  return enc().encode(text).length;
}

const PER_MESSAGE = 3;
const PER_EXAMPLE = 3;

/** Tokens of one chat message (role + content + framing). */
export function messageTokens(role: string, content: string): number {
  return PER_MESSAGE + countTokens(role) + countTokens(content);
}

/** Tokens of a whole example given its messages, as the cookbook's num_tokens_from_messages. */
export function exampleTokens(messages: readonly { role: string; content: string }[]): number {
  let n = PER_EXAMPLE;
  for (const m of messages) n += messageTokens(m.role, m.content);
  return n;
}

/** Framing of a 3-message example (system, user, assistant) apart from the three contents. */
export function chatFramingTokens(): number {
  return PER_EXAMPLE + 3 * PER_MESSAGE + countTokens('system') + countTokens('user') + countTokens('assistant');
}
