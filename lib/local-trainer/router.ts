// A table of (method, path pattern) → handler. Path parameters are `{name}` segments; ids that
// contain ":" (fine-tuned model names) arrive percent-encoded and are decoded here.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type Handler<D> = (ctx: RequestContext, deps: D) => Promise<void>;

interface Route<D> {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler<D>;
}

export class Router<D> {
  private readonly routes: Route<D>[] = [];

  add(method: string, path: string, handler: Handler<D>): this {
    const keys: string[] = [];
    const source = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler });
    return this;
  }

  match(method: string, pathname: string): { handler: Handler<D>; params: Record<string, string> } {
    let pathMatched = false;
    for (const r of this.routes) {
      const m = r.pattern.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params: Record<string, string> = {};
      r.keys.forEach((k, i) => {
        try {
          params[k] = decodeURIComponent(m[i + 1]);
        } catch {
          params[k] = m[i + 1];
        }
      });
      return { handler: r.handler, params };
    }
    // OpenAI answers an unknown path (or method) with this message and a 404.
    throw new ApiError(pathMatched ? 405 : 404, `Invalid URL (${method} ${pathname})`, { type: 'invalid_request_error' });
  }
}
