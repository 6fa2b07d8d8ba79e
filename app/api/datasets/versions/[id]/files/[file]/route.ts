// Downloads of a ready dataset version: train.jsonl, validation.jsonl, test.jsonl, manifest.json.
// Streamed from a database cursor, so a million-line file never sits in memory.
import { NextResponse } from 'next/server';
import { getActor } from '@/lib/auth/session';
import { getDatasetVersionStatus } from '@/lib/datasets/queries';
import { EXPORT_FILES, exportFileChunks, type ExportFileName } from '@/lib/datasets/export-files';
import { db } from '@/lib/db';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string; file: string }> }) {
  const { id, file } = await params;
  const actor = await getActor();
  if (!actor) return NextResponse.json({ error: 'Please sign in.' }, { status: 401 });
  if (!/^\d{1,9}$/.test(id)) return NextResponse.json({ error: `"${id}" is not a dataset version id` }, { status: 400 });
  if (!(EXPORT_FILES as readonly string[]).includes(file)) {
    return NextResponse.json({ error: `unknown file "${file}"; one of ${EXPORT_FILES.join(', ')}` }, { status: 404 });
  }
  const status = await getDatasetVersionStatus(actor, Number(id));
  if (!status) return NextResponse.json({ error: `dataset version ${id} does not exist` }, { status: 404 });
  if (status.status !== 'ready') return NextResponse.json({ error: `dataset version ${id} is ${status.status}, not ready` }, { status: 409 });
  const v = await db().datasetVersion.findUniqueOrThrow({ where: { id: Number(id) }, select: { version: true, dataset: { select: { name: true } } } });

  const chunks = exportFileChunks(Number(id), file as ExportFileName);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const [base, ext] = file.split('.');
  return new Response(body, {
    headers: {
      'content-type': ext === 'json' ? 'application/json; charset=utf-8' : 'application/jsonl; charset=utf-8',
      'content-disposition': `attachment; filename="${v.dataset.name}-v${v.version}-${base}.${ext}"`,
      'cache-control': 'no-store',
    },
  });
}
