// POST /api/v1/advisor/decisions as options + handler for the route wrapper: the app route
// wraps it with the real session/key resolution, the production web process serves it outside
// Next's router (lib/advisor/decision-fast-path.ts), tests with their own caller.
import { z } from 'zod';
import type { RouteContext } from '../boundary/route-wrapper';
import { decisionResponseSchema, type DecisionResponse } from './api-schema';
import { decide } from './decide';
import { MAX_BODY_BYTES } from './settings';

// The body is checked by lib/advisor (413 for too many messages before the shape, JSON paths).
export const decisionEndpointOptions = { name: 'advisor.decide', auth: 'api-key' as const, body: z.unknown(), maxBodyBytes: MAX_BODY_BYTES };

export async function decisionEndpoint({ apiKey, body, afterResponse }: RouteContext<unknown, unknown, unknown>): Promise<DecisionResponse> {
  // Zod out as well as in: the answer is exactly what the OpenAPI document promises.
  return decisionResponseSchema.parse(await decide(apiKey, body, { afterResponse }));
}
