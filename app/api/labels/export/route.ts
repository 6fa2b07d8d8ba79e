// The raw labels as a download: ?format=csv|jsonl, &history=1 for every change. Streamed from a cursor.
import { z } from 'zod';
import { route } from '@/lib/boundary/route-handler';
import { labelExportChunks, labelExportFileName, LABEL_EXPORT_FORMATS } from '@/lib/labels-export/export-labels';

export const GET = route(
  {
    name: 'labels export',
    auth: 'session',
    roles: ['ml_lead', 'admin'],
    query: z.object({
      format: z.enum(LABEL_EXPORT_FORMATS, { error: 'format must be csv or jsonl' }),
      history: z.enum(['0', '1'], { error: 'history must be 0 or 1' }).optional(),
    }),
  },
  async ({ actor, query }) => {
    const opts = { format: query.format, history: query.history === '1' };
    const chunks = labelExportChunks(actor, opts);
    // The role is checked before the first byte: a refused export is problem JSON, not a broken file.
    const first = await chunks.next();
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        if (first.done) controller.close();
        else controller.enqueue(encoder.encode(first.value.text));
      },
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(next.value.text));
        } catch (e) {
          controller.error(e);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    return new Response(body, {
      headers: {
        'content-type': opts.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/jsonl; charset=utf-8',
        'content-disposition': `attachment; filename="${labelExportFileName(opts)}"`,
        'cache-control': 'no-store',
      },
    });
  },
);
