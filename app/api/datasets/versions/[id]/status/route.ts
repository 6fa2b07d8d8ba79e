// Build status of one dataset version, polled by the version page while it builds.
import { NextResponse } from 'next/server';
import { getActor } from '@/lib/auth/session';
import { getDatasetVersionStatus } from '@/lib/datasets/queries';

export async function GET(_req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await getActor();
  if (!actor) return NextResponse.json({ error: 'Please sign in.' }, { status: 401 });
  if (!/^\d{1,9}$/.test(id)) return NextResponse.json({ error: `"${id}" is not a dataset version id` }, { status: 400 });
  const status = await getDatasetVersionStatus(actor, Number(id));
  if (!status) return NextResponse.json({ error: `dataset version ${id} does not exist` }, { status: 404 });
  return NextResponse.json(status, { headers: { 'cache-control': 'no-store' } });
}
