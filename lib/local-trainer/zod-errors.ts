// A zod failure as OpenAI reports a bad argument: one message and the dotted `param` path.
import type { z } from 'zod';
import { ApiError, invalidRequest } from './errors';

const HINTS: Record<string, string> = {
  n_epochs: '"auto" or an integer from 1 to 50',
  batch_size: '"auto" or an integer from 1 to 256',
  learning_rate_multiplier: '"auto" or a number greater than 0 (at most 100)',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

export function zodToApiError(error: z.ZodError, input: unknown): ApiError {
  const issue = error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const key = [...issue.path, issue.keys[0]].join('.');
    return invalidRequest(`Unrecognized request argument supplied: ${key}`, key);
  }
  const param = issue.path.join('.') || null;
  const last = issue.path.at(-1);
  const got = valueAt(input, issue.path);
  const expected = typeof last === 'string' && HINTS[last] ? `expected ${HINTS[last]}` : issue.message;
  if (got === undefined && issue.code === 'invalid_type' && param)
    return invalidRequest(`Missing required parameter: '${param}'.`, param, 'missing_required_parameter');
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);
  return invalidRequest(param ? `Invalid '${param}': ${expected} (got ${shown}).` : `Invalid request body: ${issue.message}`, param, 'invalid_value');
}

export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw zodToApiError(r.error, input);
  return r.data;
}
