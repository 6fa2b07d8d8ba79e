// POST /api/v1/advisor/decisions as the production web process (lib/cli/web.ts) serves it,
// before Next's router: the same wrapper and endpoint as app/api/v1/advisor/decisions/route.ts,
// bound to a caller that can only check API keys (there is no Next request to read a session
// from, and this route never needs one).
import { authenticateApiKey } from './api-keys';
import { decisionEndpoint, decisionEndpointOptions } from './decision-endpoint';
import { createRouteWrapper } from '../boundary/route-wrapper';

export const DECISIONS_PATH = '/api/v1/advisor/decisions';

const apiKeyOnly = createRouteWrapper({
  resolveSession: () => {
    throw new Error('Session auth is not available outside Next: a route served by the web process fast path must use auth: "api-key".');
  },
  resolveApiKey: authenticateApiKey,
});

export const decisionFastPath = apiKeyOnly(decisionEndpointOptions, decisionEndpoint);

/** Whether the web process answers this request itself: exactly POST on the path (a query string allowed). */
export function isDecisionRequest(method: string | undefined, url: string | undefined): boolean {
  if (method !== 'POST' || !url?.startsWith(DECISIONS_PATH)) return false;
  return url.length === DECISIONS_PATH.length || url[DECISIONS_PATH.length] === '?';
}
