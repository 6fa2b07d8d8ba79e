// A fine-tune's live state (status, new events, metrics), polled by its page.
import { NextResponse } from 'next/server';
import { getActor } from '@/lib/auth/session';
import { getFineTuneLive } from '@/lib/finetunes/queries';

export async function GET(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await getActor();
  if (!actor) return NextResponse.json({ error: 'Please sign in.' }, { status: 401 });
  if (!/^\d{1,9}$/.test(id)) return NextResponse.json({ error: `"${id}" is not a fine-tune id` }, { status: 400 });
  const after = new URL(req.url).searchParams.get('after');
  if (after !== null && !/^\d{1,18}$/.test(after)) return NextResponse.json({ error: `after must be an event id, got "${after}"` }, { status: 400 });
  const live = await getFineTuneLive(actor, Number(id), after === null ? {} : { afterEventId: Number(after) });
  if (!live) return NextResponse.json({ error: `fine-tune ${id} does not exist` }, { status: 404 });
  return NextResponse.json(live, { headers: { 'cache-control': 'no-store' } });
}
