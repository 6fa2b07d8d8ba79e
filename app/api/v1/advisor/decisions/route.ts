import { decisionEndpoint, decisionEndpointOptions } from '@/lib/advisor/decision-endpoint';
import { route } from '@/lib/boundary/route-handler';

export const POST = route(decisionEndpointOptions, decisionEndpoint);
