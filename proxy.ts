// Runs before every route. A server-action POST with an empty body is refused here with a 400
// (Next's own decoder would answer it with a 500 before any of our code runs). Every page
// answer carries a Content-Security-Policy with a fresh nonce (see lib/auth/security-headers.ts);
// Next reads it from the request header and applies it to the scripts it renders.
// Authorisation is not checked here but in lib/, on the server.
import { NextResponse, type NextRequest } from 'next/server';
import { refuseEmptyServerAction } from './lib/boundary/action-request-guard';
import { contentSecurityPolicy, HSTS } from './lib/auth/security-headers';

export function proxy(request: NextRequest) {
  const refused = refuseEmptyServerAction(request);
  if (refused) return refused;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const https = (process.env.BETTER_AUTH_URL ?? '').startsWith('https://');
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development', https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  if (https) response.headers.set('Strict-Transport-Security', HSTS);
  return response;
}

export const config = {
  // Built files need no policy of their own (they are not documents), nor do the machine-to-machine
  // JSON endpoints under /api/v1 (the chatbot calls the decision API at every turn: no proxy pass
  // there). next.config.mjs still sends the static security headers on both.
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|icon.svg|api/v1/).*)' }],
};
