// /_control/faults: read or replace the fault-injection settings of a running trainer (same
// bearer key as the API; these endpoints never fault themselves). `{}` switches faults off.
import type { Deps } from '../deps';
import { faultConfigSchema } from '../faults';
import { readJson, sendJson } from '../http';
import type { RequestContext, Router } from '../router';
import { parseWith } from '../zod-errors';

async function get({ res }: RequestContext, deps: Deps): Promise<void> {
  sendJson(res, 200, deps.faults.get());
}

async function set({ req, res }: RequestContext, deps: Deps): Promise<void> {
  deps.faults.set(parseWith(faultConfigSchema, await readJson(req)));
  sendJson(res, 200, deps.faults.get());
}

export function controlRoutes(r: Router<Deps>): void {
  r.add('GET', '/_control/faults', get).add('POST', '/_control/faults', set);
}
