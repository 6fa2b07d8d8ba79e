// An evaluation run's status and progress, polled by its page while it runs.
import { NextResponse } from 'next/server';
import { getActor } from '@/lib/auth/session';
import { getEvalRunLive } from '@/lib/evals/queries';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await getActor();
  if (!actor) return NextResponse.json({ error: 'Please sign in.' }, { status: 401 });
  if (!/^\d{1,9}$/.test(id)) return NextResponse.json({ error: `"${id}" is not an evaluation id` }, { status: 400 });
  const live = await getEvalRunLive(actor, Number(id));
  if (!live) return NextResponse.json({ error: `evaluation ${id} does not exist` }, { status: 404 });
  return NextResponse.json(live, { headers: { 'cache-control': 'no-store' } });
}
