// A server-action POST with nothing in it (no arguments at all, not even an empty list) makes
// Next's own decoder throw before any action code runs, which answers 500. The proxy turns
// such a request away first with a 400 that says why.
import { problemResponse } from './route-handler-problem';

export function refuseEmptyServerAction(request: Request): Response | null {
  if (request.method !== 'POST' || !request.headers.has('next-action')) return null;
  const length = request.headers.get('content-length');
  const empty = length === null ? request.body === null : Number(length) === 0;
  if (!empty) return null;
  return problemResponse({
    code: 'input',
    status: 400,
    message: 'A server action call needs its arguments in the request body; this one was empty.',
    issues: [{ field: 'body', message: 'empty' }],
    retryable: false,
  });
}
