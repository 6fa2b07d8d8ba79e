import Link from 'next/link';
import type { Disagreement, DisagreementKind } from '@/lib/evals/disagreements';
import { PaginationNav } from '@/components/ui/pagination-nav';

const pctOf = (c: number | null) => (c === null ? '' : ` (${(c * 100).toFixed(0)}%)`);

/** One page of the examples two runs answered differently, each opening its turn in the conversation. */
export function DisagreementList({
  rows,
  baseModel,
  otherModel,
  tabs,
  firstHref,
  nextHref,
}: {
  rows: Disagreement[];
  baseModel: string;
  otherModel: string;
  /** The filters (all / only one run right) with their counts and links; the current one is marked. */
  tabs: { kind: DisagreementKind; label: string; count: number; href: string; current: boolean }[];
  firstHref: string | null;
  nextHref: string | null;
}) {
  return (
    <section id="disagreements" aria-labelledby="disagreements-title" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="disagreements-title" className="mb-2 font-medium">
        Where <span className="font-mono">{otherModel}</span> and <span className="font-mono">{baseModel}</span> disagree
      </h2>
      <nav aria-label="Which disagreements" className="mb-3 flex flex-wrap gap-2 text-xs">
        {tabs.map((t) => (
          <Link
            key={t.kind}
            href={t.href}
            aria-current={t.current ? 'page' : undefined}
            className={`rounded-full border px-3 py-1 ${t.current ? 'border-indigo-600 bg-indigo-50 text-indigo-800' : 'border-slate-300 hover:bg-slate-100'}`}
          >
            {t.label} <span className="tabular-nums">({t.count.toLocaleString('en-US')})</span>
          </Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-600">No examples here.</p>
      ) : (
        <table className="w-full text-sm">
          <caption className="sr-only">Examples the two runs answered differently, in file order</caption>
          <thead className="bg-slate-100 text-left text-xs uppercase text-slate-600">
            <tr>
              <th scope="col" className="px-3 py-2">
                Line
              </th>
              <th scope="col" className="px-3 py-2">
                True
              </th>
              <th scope="col" className="px-3 py-2 normal-case">
                <span className="font-mono">{baseModel}</span>
              </th>
              <th scope="col" className="px-3 py-2 normal-case">
                <span className="font-mono">{otherModel}</span>
              </th>
              <th scope="col" className="px-3 py-2">
                Turn
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.ordinal} className="border-t border-slate-100 tabular-nums">
                <td className="px-3 py-1.5 font-mono">{r.ordinal}</td>
                <td className="px-3 py-1.5 font-medium">{r.truth}</td>
                <td className={`px-3 py-1.5 ${r.basePredicted === r.truth ? 'text-emerald-800' : 'text-red-700'}`}>
                  {r.basePredicted}
                  {pctOf(r.baseConfidence)}
                </td>
                <td className={`px-3 py-1.5 ${r.otherPredicted === r.truth ? 'text-emerald-800' : 'text-red-700'}`}>
                  {r.otherPredicted}
                  {pctOf(r.otherConfidence)}
                </td>
                <td className="px-3 py-1.5">
                  <Link href={`/conversations/${r.conversationId}?turn=${r.messageId}&truth=${r.truth}`} className="text-indigo-700 hover:underline">
                    {r.externalId ?? `conversation ${r.conversationId}`} →
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="mt-3">
        <PaginationNav prevHref={firstHref} prevLabel="← First page" nextHref={nextHref} />
      </div>
    </section>
  );
}
