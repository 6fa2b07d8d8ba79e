import { describe, expect, it } from 'vitest';
import { transcriptLineTokens } from './line-tokens';
import { countTokensUncached } from './tokens';
import { transcriptLine, type TranscriptMessage } from './transcript';

const T0 = Date.parse('2026-10-01T15:00:00Z');
// Texts that start and end where o200k_base's pre-tokenizer is delicate: digits, punctuation,
// contractions, spaces and newlines, marks, emoji, a colon of its own.
const TEXTS = [
  'Hi Dana, forklift role at $21/hr. Interested?',
  'yes!!!',
  '?ok',
  ':)',
  ': colon first',
  '::',
  '/slash',
  "'s it",
  "'t",
  '2026',
  '12345678901234567890',
  '😀😀😀',
  'ok 👍🏽',
  '\u0301combining first',
  'Ünïcödé — 日本語のテキスト',
  '   leading spaces',
  'trailing spaces   ',
  'multi\nline\r\nmessage\n\n',
  'tab\tinside',
  'a\u00a0b\u00a0',
  '\u00a0nbsp first',
  '[+4m] Recruiter: a line inside a line',
  'CAPS LOCK ON',
  '',
  ' ',
  '\n',
];

describe('transcriptLineTokens', () => {
  it('equals js-tiktoken on whole lines, for every sender and gap', () => {
    for (const text of TEXTS) {
      for (const sender of ['recruiter', 'candidate'] as const) {
        for (const gaps of [[0], [0, 7], [0, null], [0, 3 * 24 * 60 + 5], [0, 0.2]]) {
          const messages: TranscriptMessage[] = gaps.map((g, i) => ({
            sender: i === gaps.length - 1 ? sender : 'recruiter',
            text: i === gaps.length - 1 ? text : 'hello',
            sentAt: g === null ? null : new Date(T0 + g * 60_000),
          }));
          const line = transcriptLine(messages, messages.length - 1);
          expect(transcriptLineTokens(line), JSON.stringify(line)).toBe(countTokensUncached(line));
        }
      }
    }
  });

  it('equals js-tiktoken on random texts', () => {
    const alphabet = ['a', 'B', ' ', ':', '1', '?', "'", 'é', '\u0301', '日', '😀', '/', '\n', '.', '$', '\u00a0', 's', 't'];
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (let k = 0; k < 2000; k++) {
      let text = '';
      for (let n = Math.floor(rand() * 12); n > 0; n--) text += alphabet[Math.floor(rand() * alphabet.length)];
      const line = transcriptLine([{ sender: 'candidate', text, sentAt: null }], 0);
      expect(transcriptLineTokens(line), JSON.stringify(line)).toBe(countTokensUncached(line));
    }
  });
});
