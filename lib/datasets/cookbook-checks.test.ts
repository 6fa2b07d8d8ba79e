import { describe, expect, it } from 'vitest';
import { checkExampleFormat, checkJsonlLine, emptyFormatErrors, totalFormatErrors } from './cookbook-checks';

describe('cookbook format checks', () => {
  it('accepts a well-formed chat example', () => {
    const e = emptyFormatErrors();
    checkExampleFormat(
      {
        messages: [
          { role: 'system', content: 's' },
          { role: 'user', content: 'u' },
          { role: 'assistant', content: 'END', weight: 1 },
        ],
      },
      e,
    );
    expect(totalFormatErrors(e)).toBe(0);
  });

  it('counts each error the way the notebook does', () => {
    const e = emptyFormatErrors();
    checkExampleFormat([], e); // not a dict
    checkExampleFormat({ messages: [] }, e);
    checkExampleFormat({ messages: [{ role: 'user' }, { role: 'tool', content: 'x', tool_call_id: '1' }] }, e);
    expect(e).toEqual({
      data_type: 1,
      missing_messages_list: 1,
      message_missing_key: 1, // user message without content
      message_unrecognized_key: 1, // tool_call_id
      unrecognized_role: 1, // tool
      missing_content: 1, // user message without content
      example_missing_assistant_message: 1,
    });
  });

  it('treats a non-JSON line as a data_type error', () => {
    const e = emptyFormatErrors();
    expect(checkJsonlLine('{"messages":', e)).toBe(1);
    expect(e.data_type).toBe(1);
  });

  it('flags empty assistant content', () => {
    const e = emptyFormatErrors();
    checkExampleFormat(
      {
        messages: [
          { role: 'user', content: 'u' },
          { role: 'assistant', content: '' },
        ],
      },
      e,
    );
    expect(e.missing_content).toBe(1);
  });
});
