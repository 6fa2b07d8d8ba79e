// GET /api/health — 200 when the database, a worker and (when enabled) the local trainer all
// answer, 503 naming the failing parts otherwise. See lib/health/.
import { NextResponse } from 'next/server';
import { studioHealth } from '@/lib/health/studio-health';

export const dynamic = 'force-dynamic';

export async function GET() {
  const report = await studioHealth();
  return NextResponse.json(report, { status: report.status === 'ok' ? 200 : 503, headers: { 'cache-control': 'no-store' } });
}
