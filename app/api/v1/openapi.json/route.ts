import { openApiDocument } from '@/lib/advisor/openapi';

// Built once per origin: the schemas do not change while the process runs.
const documents = new Map<string, string>();

// Public: the document describes the API; calling it still needs a key.
export function GET(req: Request) {
  const origin = new URL(req.url).origin;
  let doc = documents.get(origin);
  if (!doc) documents.set(origin, (doc = JSON.stringify(openApiDocument(origin))));
  return new Response(doc, { headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300, no-transform' } });
}
