import Link from 'next/link';
import type { PredictionRow } from '@/lib/evals/queries';
import { PaginationNav } from '@/components/ui/pagination-nav';

/** The examples behind one confusion-matrix cell, each opening its turn in the conversation. */
export function PredictionList({
  rows,
  title,
  firstHref,
  nextHref,
}: {
  rows: PredictionRow[];
  title: string;
  firstHref: string | null;
  nextHref: string | null;
}) {
  return (
    <section id="examples" aria-labelledby="examples-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="examples-title" className="mb-2 font-medium">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No examples in this cell.</p>
      ) : (
        <ol className="space-y-3">
          {rows.map((r) => (
            <li key={r.ordinal} className="rounded border border-slate-200 p-3 text-sm">
              <div className="mb-1 flex flex-wrap items-center gap-3 text-xs text-slate-600">
                <span className="font-mono">line {r.ordinal}</span>
                <span>
                  true <strong>{r.truth}</strong> · predicted <strong className={r.truth === r.predicted ? '' : 'text-red-700'}>{r.predicted}</strong>
                  {r.confidence !== null && ` (confidence ${(r.confidence * 100).toFixed(0)}%)`}
                </span>
                {r.rawOutput !== null && r.predicted === 'invalid' && <span>raw: “{r.rawOutput}”</span>}
                {r.error && <span className="text-red-700">{r.error}</span>}
                <Link
                  href={`/conversations/${r.conversationId}?turn=${r.messageId}&truth=${r.truth}&predicted=${r.predicted}`}
                  className="text-indigo-700 hover:underline"
                >
                  Open turn in {r.externalId ?? `conversation ${r.conversationId}`} →
                </Link>
              </div>
              {r.userContent && <pre className="max-h-40 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs">{r.userContent}</pre>}
            </li>
          ))}
        </ol>
      )}
      <div className="mt-3">
        <PaginationNav prevHref={firstHref} prevLabel="← First page" nextHref={nextHref} />
      </div>
    </section>
  );
}
