import { describe, expect, it } from 'vitest';
import { ApiError } from './errors';
import { checkExample } from './examples';
import { validateFineTuneJsonl } from './validate-jsonl';

const keys = (line: unknown) => checkExample(line).issues.map((i) => i.key);

describe('cookbook checks', () => {
  it('counts the notebook error keys per message', () => {
    expect(keys('text')).toEqual(['data_type']);
    expect(keys({ messages: [] })).toEqual(['missing_messages_list']);
    expect(keys({ messages: null })).toEqual(['missing_messages_list']);
    expect(keys({ messages: [{ role: 'user' }] })).toEqual(['message_missing_key', 'missing_content', 'example_missing_assistant_message']);
    expect(
      keys({
        messages: [
          { role: 'user', content: 'x', extra: 1 },
          { role: 'assistant', content: 'END' },
        ],
      }),
    ).toEqual(['message_unrecognized_key']);
    expect(
      keys({
        messages: [
          { role: 'tool', content: 'x' },
          { role: 'assistant', content: 'END' },
        ],
      }),
    ).toEqual(['unrecognized_role']);
    expect(
      keys({
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'x' }] },
          { role: 'assistant', content: 'END' },
        ],
      }),
    ).toEqual(['missing_content']);
    expect(
      keys({
        messages: [
          { role: 'user', content: 'x' },
          { role: 'assistant', content: 'END', weight: 2 },
        ],
      }),
    ).toEqual(['invalid_weight']);
  });

  it('learns from the last trained assistant message and the user message before it', () => {
    const { example } = checkExample({
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'first' },
        { role: 'assistant', content: ' CONTINUE ' },
        { role: 'user', content: 'second' },
        { role: 'assistant', content: 'END', weight: 0 },
      ],
    });
    expect(example).toMatchObject({ text: 'first', label: 'CONTINUE', hasSystem: true, hasUser: true });
  });
});

describe('validateFineTuneJsonl', () => {
  it('returns stats for a good file (blank lines, CRLF and a BOM are fine)', async () => {
    const line = (label: string) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: label },
        ],
      });
    const stats = await validateFineTuneJsonl(Buffer.from(`\uFEFF${line('END')}\r\n\n${line('END')}\n${line('SCHEDULE')}\n`));
    expect(stats).toMatchObject({ examples: 3, labels: { END: 2, SCHEDULE: 1 }, missingSystem: 3, missingUser: 0, withoutTarget: 0 });
    expect(stats.tokens).toBeGreaterThan(0);
  });

  it('names the failing lines (up to five) and counts the rest', async () => {
    const bad = Array.from({ length: 8 }, () => '{oops').join('\n');
    const e = await validateFineTuneJsonl(Buffer.from(bad)).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).message).toMatch(/line 1: not valid JSON.*line 5:.*\(and 3 more line\(s\)\).*invalid_json: 8/);
    expect((e as ApiError).param).toBe('file');
  });
});
