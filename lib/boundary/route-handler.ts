// The route wrapper as Next's app routes use it: the caller's session comes from next/headers,
// work after the answer goes to Next's after(). The wrapper itself is lib/boundary/route-wrapper.ts.
import 'server-only';
import { after } from 'next/server';
import { getActor } from '../auth/session';
import { authenticateApiKey } from '../advisor/api-keys';
import { afterCurrentStack, createRouteWrapper, type AfterResponse } from './route-wrapper';

export * from './route-wrapper';

const afterNextResponse: AfterResponse = (task) => {
  try {
    after(task);
  } catch {
    // Outside a Next request (a script calling a route directly): after the current call stack.
    afterCurrentStack(task);
  }
};

export const route = createRouteWrapper({ resolveSession: getActor, resolveApiKey: authenticateApiKey, afterResponse: afterNextResponse });
