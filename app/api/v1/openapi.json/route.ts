import { openApiDocument } from '@/lib/advisor/openapi';

// Public: the document describes the API; calling it still needs a key.
export function GET(req: Request) {
  return Response.json(openApiDocument(new URL(req.url).origin), { headers: { 'cache-control': 'public, max-age=300' } });
}
