// /v1/models: `local-base` and every fine-tuned model that has not been deleted.
import type { Deps } from '../deps';
import { ApiError, modelNotFound } from '../errors';
import { sendJson } from '../http';
import type { RequestContext, Router } from '../router';
import { BASE_MODEL } from '../types';

async function list({ res }: RequestContext, deps: Deps): Promise<void> {
  sendJson(res, 200, { object: 'list', data: deps.models.list() });
}

async function retrieve({ res, params }: RequestContext, deps: Deps): Promise<void> {
  const model = deps.models.get(params.id);
  if (!model) throw modelNotFound(params.id);
  sendJson(res, 200, model);
}

async function remove({ res, params }: RequestContext, deps: Deps): Promise<void> {
  if (params.id === BASE_MODEL)
    throw new ApiError(403, `You cannot delete the base model ${BASE_MODEL}.`, { type: 'invalid_request_error', param: 'model', code: 'model_not_deletable' });
  if (!deps.models.delete(params.id)) throw modelNotFound(params.id);
  sendJson(res, 200, { id: params.id, object: 'model', deleted: true });
}

export function modelRoutes(r: Router<Deps>): void {
  r.add('GET', '/v1/models', list).add('GET', '/v1/models/{id}', retrieve).add('DELETE', '/v1/models/{id}', remove);
}
