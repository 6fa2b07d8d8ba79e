import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { labelConfidence, parseCompletion } from './parse-completion';
import { classifyRequestError } from './request-errors';

const completion = (content: string | null, tokens?: { token: string; logprob: number }[]) => ({
  choices: [{ message: { content }, logprobs: tokens ? { content: tokens.map((t) => ({ ...t, top_logprobs: [] })) } : null }],
  usage: { prompt_tokens: 40, completion_tokens: 1 },
});

describe('parseCompletion', () => {
  it('takes a label only when the trimmed answer is exactly one', () => {
    expect(parseCompletion(completion('END'))).toMatchObject({ predicted: 'END', rawOutput: 'END', confidence: null, promptTokens: 40, completionTokens: 1 });
    expect(parseCompletion(completion(' SCHEDULE\n'))).toMatchObject({ predicted: 'SCHEDULE', rawOutput: ' SCHEDULE\n' });
    for (const raw of ['end', 'End', 'END.', 'CONT', 'CONTINUE please', '"END"', '', 'END END']) {
      expect(parseCompletion(completion(raw)), raw).toMatchObject({ predicted: 'invalid', rawOutput: raw, confidence: null });
    }
    expect(parseCompletion(completion(null))).toMatchObject({ predicted: 'invalid', rawOutput: '' });
    expect(parseCompletion({ choices: [] })).toMatchObject({ predicted: 'invalid', promptTokens: null, completionTokens: null });
  });

  it('confidence: exp(logprob) of a one-token label; of the token sequence when the label spans tokens', () => {
    expect(parseCompletion(completion('END', [{ token: 'END', logprob: Math.log(0.9) }])).confidence).toBeCloseTo(0.9, 12);
    expect(
      parseCompletion(
        completion('CONTINUE', [
          { token: 'CON', logprob: Math.log(0.8) },
          { token: 'TINUE', logprob: Math.log(0.5) },
        ]),
      ).confidence,
    ).toBeCloseTo(0.4, 12);
    expect(
      labelConfidence(
        [
          { token: ' ', logprob: 0 },
          { token: 'END', logprob: Math.log(0.7) },
        ],
        'END',
      ),
    ).toBeCloseTo(0.7, 12);
    // Tokens that do not spell the label, or no logprobs: no confidence.
    expect(labelConfidence([{ token: 'ENDED', logprob: -0.1 }], 'END')).toBeNull();
    expect(labelConfidence([{ token: 'SCH', logprob: -0.1 }], 'END')).toBeNull();
    expect(labelConfidence([], 'END')).toBeNull();
    expect(labelConfidence(null, 'END')).toBeNull();
    // An invalid answer never carries a confidence, even with logprobs.
    expect(parseCompletion(completion('CONT', [{ token: 'CONT', logprob: -0.01 }])).confidence).toBeNull();
  });
});

const headers = (h: Record<string, string>) => new Headers(h);

describe('request errors', () => {
  it('retries 429, 5xx, timeouts and connection errors; 401/403/404 end the run; a 400 about logprobs drops them', () => {
    expect(classifyRequestError(new OpenAI.RateLimitError(429, { message: 'slow down' }, 'slow down', headers({ 'retry-after-ms': '1500' })))).toMatchObject({
      kind: 'retry',
      status: 429,
      retryAfterMs: 1500,
    });
    expect(classifyRequestError(new OpenAI.InternalServerError(503, undefined, 'busy', headers({})))).toMatchObject({ kind: 'retry', status: 503 });
    expect(classifyRequestError(new OpenAI.APIConnectionTimeoutError())).toMatchObject({ kind: 'retry', status: null });
    expect(classifyRequestError(new OpenAI.APIConnectionError({ cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) }))).toMatchObject({
      kind: 'retry',
      message: expect.stringMatching(/ECONNREFUSED/),
    });
    expect(classifyRequestError(new OpenAI.AuthenticationError(401, undefined, 'bad key', headers({})))).toMatchObject({ kind: 'fatal', status: 401 });
    expect(classifyRequestError(new OpenAI.NotFoundError(404, undefined, 'no such model', headers({})))).toMatchObject({ kind: 'fatal', status: 404 });
    expect(
      classifyRequestError(
        new OpenAI.BadRequestError(400, { message: 'logprobs are not supported', param: 'logprobs' }, 'logprobs are not supported', headers({})),
      ),
    ).toMatchObject({ kind: 'no-logprobs' });
    expect(classifyRequestError(new OpenAI.BadRequestError(400, { message: 'context length exceeded' }, 'context length exceeded', headers({})))).toMatchObject(
      { kind: 'example', status: 400 },
    );
  });
});
