// Problem details (RFC 9457) for a failure: the body every route answers with when it fails.
import type { InputIssue } from '../errors';
import type { Failure } from './outcome';

const PROBLEM_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  413: 'Request too large',
  429: 'Too many requests',
  500: 'Internal error',
  502: 'Upstream error',
  503: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: { path: string; message: string }[];
}

/** RFC 9457 problem details for a failure. */
export function problemResponse(f: Failure): Response {
  const problem: Problem = {
    type: `urn:exit-advisor-studio:problem:${f.code}`,
    title: PROBLEM_TITLES[f.status] ?? 'Error',
    status: f.status,
    detail: f.message,
    ...(f.issues.length ? { errors: f.issues.map((i: InputIssue) => ({ path: i.field, message: i.message })) } : {}),
  };
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', 'cache-control': 'no-store' };
  if (f.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.ceil(f.retryAfterSeconds));
  if (f.status === 401) headers['www-authenticate'] = 'Bearer realm="exit-advisor-studio"';
  return new Response(JSON.stringify(problem), { status: f.status, headers });
}
