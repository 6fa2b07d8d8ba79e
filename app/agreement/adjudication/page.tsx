import type { Metadata } from 'next';
import Link from 'next/link';
import { actorOrSignIn } from '@/lib/auth/page-guard';
import { canSeeTeamAgreement } from '@/lib/agreement/access';
import { listAdjudicationQueue, queueFilterSchema, type QueueFilter } from '@/lib/agreement/adjudication-queue';
import { DataTable } from '@/components/ui/data-table';
import { PaginationNav } from '@/components/ui/pagination-nav';
import { Forbidden } from '@/components/ui/forbidden';
import { formatDateTime } from '@/components/ui/format-time';
import { AdjudicateForm } from '@/components/agreement/adjudicate-form';
import { reviewerName } from '@/components/agreement/format';
import { adjudicateAction } from './actions';

export const metadata: Metadata = { title: 'Adjudication' };

const STATUSES = [
  { id: 'open', name: 'Open' },
  { id: 'adjudicated', name: 'Adjudicated' },
  { id: 'all', name: 'All' },
] as const;

const VALUE_TONE = { END: 'bg-rose-100 text-rose-900', CONTINUE: 'bg-sky-100 text-sky-900', SCHEDULE: 'bg-emerald-100 text-emerald-900' } as const;

function href(f: QueueFilter, change: Partial<QueueFilter>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...f, ...change })) if (v !== undefined && v !== null && !(k === 'status' && v === 'open')) q.set(k, String(v));
  const s = q.toString();
  return s ? `/agreement/adjudication?${s}` : '/agreement/adjudication';
}

export default async function AdjudicationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const actor = await actorOrSignIn('/agreement/adjudication');
  if (!canSeeTeamAgreement(actor)) return <Forbidden message={`The adjudication queue needs the ML lead or admin role; you are ${actor.role}.`} />;
  const filter = queueFilterSchema.parse(Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])));
  const { items, nextAfter } = await listAdjudicationQueue(actor, filter);

  return (
    <div className="space-y-4">
      <Link href="/agreement" className="text-sm text-indigo-700 hover:underline">
        ← Agreement
      </Link>
      <div>
        <h1 className="text-2xl font-semibold">Adjudication queue</h1>
        <p className="max-w-3xl text-sm text-slate-600">
          Recruiter turns whose labels disagree, every label shown (import sources included: datasets count their labels too). Set the final label with a note;
          datasets built with the <strong>adjudicated</strong> policy use it instead of the majority. Reviewers&apos; own labels stay as they are.
        </p>
      </div>

      <nav aria-label="Status" className="flex flex-wrap items-center gap-2 text-sm">
        {STATUSES.map((s) => (
          <Link
            key={s.id}
            href={href(filter, { status: s.id, after: undefined })}
            aria-current={filter.status === s.id ? 'page' : undefined}
            className={`rounded border px-3 py-1 ${filter.status === s.id ? 'border-indigo-600 bg-indigo-50 font-medium text-indigo-800' : 'bg-white hover:bg-slate-100'}`}
          >
            {s.name}
          </Link>
        ))}
        {filter.conversation && (
          <span className="ml-2 rounded bg-slate-100 px-2 py-1">
            Conversation #{filter.conversation}{' '}
            <Link href={href(filter, { conversation: undefined, after: undefined })} className="text-indigo-700 hover:underline">
              show all
            </Link>
          </span>
        )}
      </nav>

      {items.length === 0 ? (
        <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600" data-testid="queue-empty">
          {filter.status === 'open' ? 'Nothing to adjudicate: no open disagreements here.' : 'No turns here.'}
        </p>
      ) : (
        <DataTable caption="Turns to adjudicate" columns={['Turn', 'Labels', 'Final label']}>
          {items.map((it) => (
            <tr key={it.messageId} className="border-t border-slate-100 align-top" data-message-id={it.messageId}>
              <td className="max-w-md px-3 py-3">
                <Link href={`/conversations/${it.conversationId}?turn=${it.messageId}`} className="font-medium text-indigo-700 hover:underline">
                  {it.externalId}
                </Link>
                <span className="text-xs text-slate-500">
                  {' '}
                  · message {it.position + 1}
                  {it.candidateName ? ` · ${it.candidateName}` : ''}
                </span>
                <p className="mt-1 line-clamp-3 whitespace-pre-wrap break-words text-sm text-slate-800">{it.text}</p>
                <p className="mt-1 text-xs text-slate-500">{it.reasons.map((r) => (r === 'disagreement' ? 'Reviewers disagree' : 'Flagged')).join(' · ')}</p>
              </td>
              <td className="px-3 py-3">
                <ul className="space-y-1" aria-label="Labels per reviewer">
                  {it.labels.map((l) => (
                    <li key={l.reviewerId} className="flex items-center gap-2 text-xs" data-reviewer={l.email}>
                      <span className={`rounded px-1.5 py-0.5 font-mono font-medium ${VALUE_TONE[l.value]}`}>{l.value}</span>
                      <span>{l.isImport ? <em title="labels imported from a file">{l.email} (import)</em> : reviewerName(l)}</span>
                    </li>
                  ))}
                </ul>
              </td>
              <td className="w-80 px-3 py-3">
                {it.adjudication && (
                  <p className="mb-2 text-xs text-slate-600" data-testid="current-adjudication">
                    <span className={`rounded px-1.5 py-0.5 font-mono font-medium ${VALUE_TONE[it.adjudication.value]}`}>{it.adjudication.value}</span> by{' '}
                    {it.adjudication.by}, {formatDateTime(it.adjudication.at)}: “{it.adjudication.note}”
                  </p>
                )}
                <AdjudicateForm messageId={it.messageId} current={it.adjudication} action={adjudicateAction} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <PaginationNav
        prevHref={filter.after ? href(filter, { after: undefined }) : null}
        prevLabel="← First page"
        nextHref={nextAfter ? href(filter, { after: nextAfter }) : null}
      />
    </div>
  );
}
