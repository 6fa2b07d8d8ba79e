// Runs before every route. MERGE NOTE: wt-auth adds its own proxy.ts (CSP nonce, security
// headers); the combined proxy calls refuseEmptyServerAction first and returns its answer
// when it has one.
import { NextResponse, type NextRequest } from 'next/server';
import { refuseEmptyServerAction } from './lib/boundary/action-request-guard';

export function proxy(request: NextRequest) {
  return refuseEmptyServerAction(request) ?? NextResponse.next();
}

export const config = {
  matcher: [{ source: '/((?!_next/static|_next/image|favicon.ico|icon.svg).*)' }],
};
